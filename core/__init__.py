"""The bottom layer: what every app shares and that belongs to no domain.

The REST API's kit (``core.api``), the API's language middleware and CSV export. It imports
Django and third-party libraries only, never a project app, so every app may import it
without an import running up the layering (docs/architecture.md; tests/test_layering.py).
"""
