"""Listen to candidates' hooks: a new profile CV is checked by the worker that checks applications' CVs."""

from django.dispatch import receiver

from candidates.signals import profile_cv_uploaded

from .services import profile_cv_check_enqueue


@receiver(profile_cv_uploaded, dispatch_uid="applications.profile_cv_uploaded")
def on_profile_cv_uploaded(sender, candidate_id: int, **kwargs) -> None:
    profile_cv_check_enqueue(candidate_id=candidate_id)
