"""The portal's login backend: Django's ModelBackend, with the request's user loaded together
with their employment service and employer.

Every page of a caseworker or an employer reads them (the role checks, the scopes of the
querysets, the audit's service code): loaded with the user they cost no query of their own
(issue 15: one query less on every signed-in page).
"""

from django.contrib.auth.backends import ModelBackend

from .models import User

PATH = "accounts.backends.UserModelBackend"  # what login() records in the session


class UserModelBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("employment_service", "employer").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
