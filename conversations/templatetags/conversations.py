"""``{% conversation_section application %}``: the application pages' summary of the thread and
the interview (unread count, planned time, link), so those pages' views need not know this app."""

from django import template

from ..models import InterviewProposal, Message
from ..selectors import participant_side, unread_total_cached

register = template.Library()


@register.inclusion_tag("conversations/_application_section.html", takes_context=True)
def conversation_section(context, application) -> dict:
    user = context["request"].user
    side = participant_side(user)
    unread = Message.objects.filter(application=application).unread_for(side).count() if side else 0
    latest = (
        InterviewProposal.objects.filter(application=application)
        .select_related("chosen_slot")
        .order_by("-created_at", "-id")
        .first()
    )
    return {"application": application, "side": side, "unread": unread, "interview": latest}


@register.simple_tag
def unread_messages(user) -> int | None:
    """The nav's unread messages (the jobseeker's, or the employer's company's), from the cache."""
    if not getattr(user, "is_authenticated", False):
        return None
    return unread_total_cached(user=user)
