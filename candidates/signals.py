"""Hooks other apps may listen to; sent explicitly by the services, never by model saves."""

from django.dispatch import Signal

# Sent inside the service's transaction with ``candidate_id``.
candidate_changed = Signal()
