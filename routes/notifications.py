"""Emails about training routes, each in the recipient's language: a caseworker proposed a
training to the jobseeker (answer on the "Vacancies within reach" page)."""

from accounts.notifications import reverse_in, send_to_user

from .models import RouteStage, TrainingRoute


def notify_route_proposed(*, route_id: int) -> bool:
    route = (
        TrainingRoute.objects.select_related("candidate__user", "offer__provider", "vacancy__employer")
        .filter(pk=route_id, stage=RouteStage.PROPOSED)
        .first()
    )
    if route is None:
        return False
    user = route.candidate.user
    return send_to_user(
        user=user,
        template="routes/email/route_proposed",
        event=f"route-proposed:{route.pk}",
        context={
            "route": route,
            "offer": route.offer,
            "vacancy": route.vacancy,
            "link": reverse_in(user.preferred_language, "routes:within_reach"),
        },
    )
