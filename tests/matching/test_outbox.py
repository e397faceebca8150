"""The rematch outbox hands out the task id the API reports, and keeps it until the task is sent."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from matching import outbox
from matching.models import PendingRematch, RematchKind

pytestmark = pytest.mark.django_db


def test_a_request_keeps_its_task_id_until_the_sweep_sends_it(django_capture_on_commit_callbacks):
    # Imported here, not at collection: a task bound early ignores tests that turn on eager results.
    from matching import tasks

    with (
        mock.patch.object(tasks.rematch_vacancy, "apply_async", side_effect=OSError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = outbox.request(kind=RematchKind.VACANCY, object_id=7)
    assert len(first.task_id) == 36
    assert PendingRematch.objects.get(pk=first.pk).enqueued_at is None
    # Asked again before it was sent: one send covers both, under the id already reported.
    again = outbox.request(kind=RematchKind.VACANCY, object_id=7)
    assert again.pk == first.pk
    assert again.task_id == first.task_id
    with mock.patch.object(tasks.rematch_vacancy, "apply_async") as send:
        assert outbox.sweep(now=timezone.now() + timedelta(minutes=1)) == 1
    assert send.call_args.kwargs["task_id"] == first.task_id
    # Once sent, a new request is a new task.
    later = outbox.request(kind=RematchKind.VACANCY, object_id=7)
    assert later.task_id != first.task_id
