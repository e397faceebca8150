"""Hooks other apps may listen to; sent explicitly by the services, never by model saves."""

from django.dispatch import Signal

# Sent inside the service's transaction with ``candidate_id``.
candidate_changed = Signal()

# Sent after the commit of a new profile CV (stored "checking") with ``candidate_id``: applications
# owns the worker's CV check and queues it (candidates may not import applications).
profile_cv_uploaded = Signal()
