"""Recompute the audit log's hash chain: exit 0 when intact, 1 naming the first broken event."""

import sys

from django.core.management.base import BaseCommand

from audit.selectors import chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (exit 1 and the first broken event when it was altered)."

    def handle(self, *args, **options):
        check = chain_verify()
        if check.ok:
            self.stdout.write(f"{check.verified} events verified")
            return
        self.stderr.write(
            f"Broken at event seq {check.broken_seq}: {check.problem} ({check.verified} events before it verified)"
        )
        sys.exit(1)
