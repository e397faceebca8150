"""Hooks other apps may listen to. Sent explicitly by the services, never by model saves.

``matching`` listens to queue a rematch; ``vacancies`` does not know who listens.
"""

from django.dispatch import Signal

# Sent inside the service's transaction with ``vacancy_id``.
vacancy_changed = Signal()
