"""Rebuild every vacancy's stored search document (after the reference data's labels changed)."""

import time

from django.core.management.base import BaseCommand

from vacancies.search import vacancy_search_reindex_all


class Command(BaseCommand):
    help = "Rebuild the stored search document (text and vector) of every vacancy."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        count = vacancy_search_reindex_all()
        self.stdout.write(f"Reindexed {count} vacancies in {time.perf_counter() - started:.1f} s.")
