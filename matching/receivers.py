"""Listen to the change hooks of vacancies and candidates and ask for a rematch."""
from django.dispatch import receiver

from candidates.signals import candidate_changed
from vacancies.signals import vacancy_changed

from .models import RematchKind
from .services import rematch_request


@receiver(vacancy_changed, dispatch_uid="matching.vacancy_changed")
def on_vacancy_changed(sender, vacancy_id: int, **kwargs) -> None:
    rematch_request(kind=RematchKind.VACANCY, object_id=vacancy_id)


@receiver(candidate_changed, dispatch_uid="matching.candidate_changed")
def on_candidate_changed(sender, candidate_id: int, **kwargs) -> None:
    rematch_request(kind=RematchKind.CANDIDATE, object_id=candidate_id)
