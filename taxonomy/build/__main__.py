"""Rebuild every data file in dependency order: ``python -m taxonomy.build``."""

from . import be_postcodes, esco, isco08, places, study_fields


def main() -> None:
    for module in (isco08, places, be_postcodes, study_fields, esco):
        print(f"== {module.__name__}")
        module.main()


if __name__ == "__main__":
    main()
