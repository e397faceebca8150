#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nsp_portal.settings.dev")
    # Commands (migrate, load_reference_data, bench_…) run as long as they need: no web database
    # timeouts for them; runserver serves pages and keeps them (core/db_busy.py).
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("NSP_DB_TIMEOUTS", "none")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
