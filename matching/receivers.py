"""Listen to the change hooks of vacancies and candidates and ask for a rematch."""

from django.dispatch import receiver

from candidates.signals import candidate_changed
from taxonomy.signals import reference_data_loaded
from vacancies.signals import vacancy_changed

from .models import MatchingState, RematchKind
from .services import rematch_request


@receiver(vacancy_changed, dispatch_uid="matching.vacancy_changed")
def on_vacancy_changed(sender, vacancy_id: int, **kwargs) -> None:
    rematch_request(kind=RematchKind.VACANCY, object_id=vacancy_id)


@receiver(candidate_changed, dispatch_uid="matching.candidate_changed")
def on_candidate_changed(sender, candidate_id: int, **kwargs) -> None:
    MatchingState.bump("candidates_version")
    rematch_request(kind=RematchKind.CANDIDATE, object_id=candidate_id)


@receiver(reference_data_loaded, dispatch_uid="matching.reference_data_loaded")
def on_reference_data_loaded(sender, **kwargs) -> None:
    from .travel import travel_times_refresh

    travel_times_refresh()
    MatchingState.bump("reference_version")
