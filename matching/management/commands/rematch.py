from celery import current_app
from django.core.management.base import BaseCommand, CommandError

from matching import tasks
from matching.models import RebuildRun
from matching.tasks import tune_garbage_collector


class Command(BaseCommand):
    help = (
        "Queue a rematch: of one vacancy, one candidate, or everything (a full rebuild in chunks). "
        "With --wait, run it here and now (in this process) and report the result."
    )

    def add_arguments(self, parser):
        parser.add_argument("--vacancy", type=int)
        parser.add_argument("--candidate", type=int)
        parser.add_argument("--all", action="store_true")
        parser.add_argument("--wait", action="store_true", help="Run in this process and wait for the result.")

    def handle(self, *args, vacancy, candidate, all, wait, **options):
        if sum(bool(x) for x in (vacancy, candidate, all)) != 1:
            raise CommandError("Give exactly one of --vacancy ID, --candidate ID or --all.")
        if vacancy:
            task, task_args = tasks.rematch_vacancy, (vacancy,)
        elif candidate:
            task, task_args = tasks.rematch_candidate, (candidate,)
        else:
            task, task_args = tasks.rebuild_all, ()
        if wait:
            # In this process, chunks and callbacks included: no broker or worker involved.
            current_app.conf.task_always_eager = True
            tune_garbage_collector()
            result = task.apply(args=task_args, throw=True).get()
            if all:
                run = RebuildRun.objects.get(pk=result)
                self.stdout.write(
                    f"Rebuild {run.pk}: {run.status}, {run.chunks_done}/{run.chunks_total} chunks, "
                    f"{run.vacancies_total} vacancies, {run.candidates_total} candidates."
                )
            else:
                self.stdout.write(str(result))
        else:
            async_result = task.delay(*task_args)
            self.stdout.write(f"Queued {task.name} (task id {async_result.id}).")
