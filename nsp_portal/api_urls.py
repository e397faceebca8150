"""The REST API (``/api/v1/``), its OpenAPI schema and docs, and the vacancy feeds.

Included once by nsp_portal/urls.py under ``api/``, outside i18n_patterns (the language comes
from Accept-Language). docs/api.md explains tokens, scopes and examples per role.
"""

import threading

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from accounts.api import MeView
from alerts.api import SavedSearchViewSet
from applications.api import ApplicationViewSet
from candidates.api import CandidateConsentView, CandidateMeView, ExperienceViewSet
from conversations.api import (
    InterviewIcsView,
    InterviewListView,
    InterviewPickView,
    InterviewRequestOtherView,
    MessageListView,
    MessageReadView,
)
from core.api.views import api_not_found
from matching.api import MatchViewSet, NearMissViewSet, RebuildView, RematchView, TaskStatusView
from talent.api import CandidateSearchViewSet, InvitationViewSet
from taxonomy.api import (
    DiplomaViewSet,
    IscoGroupViewSet,
    OccupationViewSet,
    PlaceViewSet,
    SkillViewSet,
    StudyFieldViewSet,
)
from training.api import TrainingOfferViewSet
from vacancies.api import VacancyViewSet
from vacancies.feeds import LatestVacanciesAtomFeed, LatestVacanciesFeed, latest_vacancies_json
from workspace.api import FigureExportView

app_name = "api"


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema. Generated under a lock: drf-spectacular's first run loads its
    extensions lazily and is not safe in threads running at once (a threaded server)."""

    _lock = threading.Lock()

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        with self._lock:
            return super().get(request, *args, **kwargs)


router = SimpleRouter(trailing_slash=False)
router.register("occupations", OccupationViewSet, basename="occupation")
router.register("skills", SkillViewSet, basename="skill")
router.register("places", PlaceViewSet, basename="place")
router.register("diplomas", DiplomaViewSet, basename="diploma")
router.register("isco-groups", IscoGroupViewSet, basename="isco-group")
router.register("study-fields", StudyFieldViewSet, basename="study-field")
router.register("vacancies", VacancyViewSet, basename="vacancy")
router.register("applications", ApplicationViewSet, basename="application")
router.register("matches", MatchViewSet, basename="match")
router.register("near-misses", NearMissViewSet, basename="near-miss")
router.register("saved-searches", SavedSearchViewSet, basename="saved-search")
router.register("candidates/me/experience", ExperienceViewSet, basename="candidate-experience")
router.register("talent/candidates", CandidateSearchViewSet, basename="talent-candidate")
router.register("talent/invitations", InvitationViewSet, basename="talent-invitation")
router.register("training-offers", TrainingOfferViewSet, basename="training-offer")

v1 = [
    path("me", MeView.as_view(), name="me"),
    path("candidates/me", CandidateMeView.as_view(), name="candidate-me"),
    path("candidates/me/consents", CandidateConsentView.as_view(), name="candidate-consents"),
    path("matching/rematch", RematchView.as_view(), name="matching-rematch"),
    path("matching/rebuild", RebuildView.as_view(), name="matching-rebuild"),
    path("matching/tasks/<str:task_id>", TaskStatusView.as_view(), name="matching-task"),
    path("matching/figures/<str:slug>", FigureExportView.as_view(), name="matching-figure"),
    path("applications/<int:pk>/messages", MessageListView.as_view(), name="application-messages"),
    path("applications/<int:pk>/messages/read", MessageReadView.as_view(), name="application-messages-read"),
    path("applications/<int:pk>/interviews", InterviewListView.as_view(), name="application-interviews"),
    path(
        "applications/<int:pk>/interviews/<int:proposal_pk>/pick",
        InterviewPickView.as_view(),
        name="application-interview-pick",
    ),
    path(
        "applications/<int:pk>/interviews/<int:proposal_pk>/request-other",
        InterviewRequestOtherView.as_view(),
        name="application-interview-request-other",
    ),
    path(
        "applications/<int:pk>/interviews/<int:proposal_pk>/invitation.ics",
        InterviewIcsView.as_view(),
        name="application-interview-ics",
    ),
    path("feeds/vacancies.rss", LatestVacanciesFeed(), name="feed-rss"),
    path("feeds/vacancies.atom", LatestVacanciesAtomFeed(), name="feed-atom"),
    path("feeds/vacancies.json", latest_vacancies_json, name="feed-json"),
    *router.urls,
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SchemaView.as_view(), name="schema"),
    # The docs under the Content-Security-Policy: no inline script on either page. The split view
    # serves Swagger UI's init script from docs/?script; Swagger UI's stylesheet draws its icons
    # as data: images; Redoc writes its styles into <style> elements at run time (styled-components),
    # so only that page allows inline style, and runs its search in a worker made from a blob:.
    path(
        "docs/",
        csp_update({"img-src": ["'self'", "data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
        ),
        name="docs",
    ),
    path(
        "redoc/",
        csp_update(
            {
                "style-src": ["'self'", "'unsafe-inline'"],
                "img-src": ["'self'", "data:"],
                "worker-src": ["'self'", "blob:"],
            }
        )(SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")),
        name="redoc",
    ),
    # Anything else under /api/ is a 404 with the API's error body, not an HTML page.
    re_path(r"^.*$", api_not_found),
]
