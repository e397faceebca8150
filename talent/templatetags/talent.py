from django import template

from talent.selectors import pending_invitation_count_cached

register = template.Library()


@register.simple_tag
def pending_invitations(user) -> int | None:
    """The jobseeker's unanswered invitations for the nav, from the cache (no query per page)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return pending_invitation_count_cached(user_id=user.pk)
