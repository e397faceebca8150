"""Writes of job alerts: save, change, delete and unsubscribe a search; send the alerts.

Sending goes through the portal's mail outbox (``accounts.notifications.email_record``): the
mail is recorded in the transaction that records which vacancies it carries (``SentAlert``),
and delivered, retried and swept by the outbox's tasks. A vacancy is sent at most once per
saved search (unique ``SentAlert``); the saved search is locked while its mail is recorded,
so two runs at once do not both send it.
"""

import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import email_record, event_stamp, portal_url, reverse_in
from accounts.roles import is_caseworker, is_jobseeker

from .models import Frequency, SavedSearch, SearchKind, SentAlert
from .selectors import (
    candidate_search_form,
    candidate_search_path,
    feed_path,
    saved_search_new_candidates,
    saved_search_new_vacancies,
    search_filterset,
    search_path,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "alerts.unsubscribe"
# At most this many vacancies in one mail; the rest follow in the next run (not lost).
ALERT_MAX_VACANCIES = 25
# Parameters of the search page that are not filters.
NOT_FILTERS = {"page"}


def language_of(language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = (language or "").split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


def search_query_normalise(query: str) -> str:
    """The query string of a search, validated by the search page's filters, without empty or
    unknown parameters (so the same search is saved the same way). Invalid: ValidationError."""
    data = QueryDict(query or "")
    filterset = search_filterset("")
    kept = QueryDict(mutable=True)
    for key in sorted(data):
        if key in NOT_FILTERS or key not in filterset.base_filters:
            continue
        values = [value.strip() for value in data.getlist(key) if value.strip()]
        if values:
            kept.setlist(key, values)
    normalised = kept.urlencode()
    bound = search_filterset(normalised)
    if not bound.is_valid():
        messages = [f"{field}: {' '.join(errors)}" for field, errors in bound.form.errors.items()]
        raise ValidationError({"query": [_("This search is not valid: %(errors)s") % {"errors": "; ".join(messages)}]})
    if len(normalised) > SavedSearch._meta.get_field("query").max_length:
        raise ValidationError({"query": [_("This search is too long to save.")]})
    return normalised


def _check_owner(owner: User) -> None:
    if not is_jobseeker(owner):
        raise ValidationError(_("Only a jobseeker can save a search."))


@transaction.atomic
def saved_search_create(*, owner: User, name: str, query: str, frequency: str, language: str) -> SavedSearch:
    _check_owner(owner)
    saved = SavedSearch(
        owner=owner,
        name=(name or "").strip(),
        query=search_query_normalise(query),
        frequency=frequency,
        language=language_of(language),
        since=timezone.now(),
    )
    saved.full_clean()
    saved.save()
    return saved


def candidate_query_normalise(query: str) -> str:
    """The query string of a candidate search, validated by the workspace page's form, without
    empty or unknown parameters. Invalid: ValidationError."""
    data = QueryDict(query or "")
    fields = candidate_search_form("").fields
    kept = QueryDict(mutable=True)
    for key in sorted(data):
        values = [value.strip() for value in data.getlist(key) if value.strip()]
        if key in fields and values:
            kept.setlist(key, values[:1])  # every filter takes one value
    normalised = kept.urlencode()
    form = candidate_search_form(normalised)
    if not form.is_valid():
        messages = [f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()]
        raise ValidationError({"query": [_("This search is not valid: %(errors)s") % {"errors": "; ".join(messages)}]})
    if len(normalised) > SavedSearch._meta.get_field("query").max_length:
        raise ValidationError({"query": [_("This search is too long to save.")]})
    return normalised


@transaction.atomic
def candidate_search_create(*, owner: User, name: str, query: str, frequency: str, language: str) -> SavedSearch:
    """A caseworker saves a candidate search: a digest of the new candidates of their scope."""
    if not is_caseworker(owner):
        raise ValidationError(_("Only a caseworker can save a candidate search."))
    saved = SavedSearch(
        owner=owner,
        kind=SearchKind.CANDIDATES,
        name=(name or "").strip(),
        query=candidate_query_normalise(query),
        frequency=frequency,
        language=language_of(language),
        since=timezone.now(),
    )
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def saved_search_update(*, saved_search: SavedSearch, **fields: Any) -> SavedSearch:
    """Change name, frequency, active or the search; switched on again, it alerts from now on
    (not the backlog of the months it was off)."""
    allowed = {"name", "frequency", "is_active", "query"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not changeable: {sorted(unknown)}")
    if "query" in fields:
        normalise = candidate_query_normalise if saved_search.kind == SearchKind.CANDIDATES else search_query_normalise
        fields["query"] = normalise(fields["query"])
    if fields.get("is_active") and not saved_search.is_active:
        saved_search.since = timezone.now()
    for name, value in fields.items():
        setattr(saved_search, name, value.strip() if name == "name" else value)
    saved_search.full_clean()
    saved_search.save()
    return saved_search


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch) -> None:
    saved_search.delete()  # its SentAlert rows go with it (CASCADE)


# --- unsubscribe -----------------------------------------------------------------------------


def unsubscribe_token(saved_search: SavedSearch) -> str:
    return signing.dumps(saved_search.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(saved_search: SavedSearch) -> str:
    return reverse_in(saved_search.language, "alerts:unsubscribe", kwargs={"token": unsubscribe_token(saved_search)})


def saved_search_from_token(token: str) -> SavedSearch | None:
    """The saved search a signed link names; None if it was deleted since. A link that was not
    made by the portal (or was altered) raises ValidationError."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise ValidationError(
            _(
                "This unsubscribe link is not valid. Open the link from the e-mail exactly, or sign in to manage your alerts."
            ),
            code="bad_signature",
        ) from exc
    return SavedSearch.objects.filter(pk=pk).first()


@transaction.atomic
def saved_search_unsubscribe(*, token: str) -> SavedSearch | None:
    """Switch the alert off (no login: the signed link is the proof). Idempotent."""
    saved = saved_search_from_token(token)
    if saved is not None and saved.is_active:
        SavedSearch.objects.filter(pk=saved.pk).update(is_active=False)
        saved.is_active = False
    return saved


# --- sending ---------------------------------------------------------------------------------


def _mail(saved: SavedSearch, vacancies: list) -> tuple[str, str, str]:
    """Subject, body and the unsubscribe link, in the saved search's language."""
    with translation.override(saved.language):
        unsubscribe = unsubscribe_url(saved)
        context = {
            "saved_search": saved,
            "user": saved.owner,
            "vacancies": [
                (vacancy, reverse_in(saved.language, "vacancies:detail", kwargs={"pk": vacancy.pk}))
                for vacancy in vacancies
            ],
            "search_link": portal_url(search_path(saved)),
            "feed_link": portal_url(feed_path(saved)),
            "manage_link": reverse_in(saved.language, "alerts:list"),
            "unsubscribe_link": unsubscribe,
        }
        subject = " ".join(render_to_string("alerts/email/alert_subject.txt", context).split())
        body = render_to_string("alerts/email/alert_body.txt", context)
    return subject, body, unsubscribe


def saved_search_alert_send(*, saved_search_id: int, now=None) -> int:
    """Mail the new vacancies of one saved search (one mail); returns how many it carries."""
    now = now or timezone.now()
    with transaction.atomic():
        saved = (
            SavedSearch.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner")
            .filter(pk=saved_search_id, kind=SearchKind.VACANCIES, is_active=True, owner__is_active=True)
            .first()
        )
        if saved is None or not saved.owner.email:
            return 0
        vacancies = list(saved_search_new_vacancies(saved).select_related("employer", "place")[:ALERT_MAX_VACANCIES])
        if not vacancies:
            return 0
        _digest_record(
            saved, _mail(saved, vacancies), [SentAlert(saved_search=saved, vacancy=v) for v in vacancies], now
        )
    return len(vacancies)


def _digest_record(saved: SavedSearch, mail: tuple[str, str, str], sent: list[SentAlert], now) -> None:
    """Queue one digest in the outbox, remember what it sent, and when (either kind of search)."""
    subject, body, unsubscribe = mail
    email_record(
        key=f"saved-search-alert:{saved.pk}:{event_stamp(now)}",
        user=saved.owner,
        to=saved.owner.email,
        language=saved.language,
        subject=subject,
        body=body,
        headers={
            "Content-Language": saved.language,
            # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    SentAlert.objects.bulk_create(sent, ignore_conflicts=True)
    SavedSearch.objects.filter(pk=saved.pk).update(last_sent_at=now)


def _candidate_mail(saved: SavedSearch, count: int) -> tuple[str, str, str]:
    """Subject, body and the unsubscribe link of a candidate digest: a count and links only. No
    name, place or other personal data leaves the portal by mail; the caseworker sees the
    candidates on the workspace page, after the login with 2FA, where the view is audited."""
    with translation.override(saved.language):
        unsubscribe = unsubscribe_url(saved)
        context = {
            "saved_search": saved,
            "user": saved.owner,
            "count": count,
            "search_link": portal_url(candidate_search_path(saved)),
            "manage_link": reverse_in(saved.language, "alerts:candidate_list"),
            "unsubscribe_link": unsubscribe,
        }
        subject = " ".join(render_to_string("alerts/email/candidate_alert_subject.txt", context).split())
        body = render_to_string("alerts/email/candidate_alert_body.txt", context)
    return subject, body, unsubscribe


def candidate_search_alert_send(*, saved_search_id: int, now=None) -> int:
    """Mail the number of new candidates of one saved candidate search (one mail); returns it.
    The scope is the owner's at send time: a caseworker who is no longer one gets nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        saved = (
            SavedSearch.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner__employment_service")
            .filter(pk=saved_search_id, kind=SearchKind.CANDIDATES, is_active=True, owner__is_active=True)
            .first()
        )
        if saved is None or not saved.owner.email:
            return 0
        candidate_ids = list(saved_search_new_candidates(saved).values_list("pk", flat=True))
        if not candidate_ids:
            return 0
        sent = [SentAlert(saved_search=saved, candidate_id=pk) for pk in candidate_ids]
        _digest_record(saved, _candidate_mail(saved, len(candidate_ids)), sent, now)
    return len(candidate_ids)


def saved_searches_send(*, frequency: str, now=None) -> dict[str, int]:
    """One mail per active saved search of ``frequency`` with new vacancies. A failing search is
    logged and skipped: the others are still sent, and it is tried again at the next run."""
    if frequency not in Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}")
    mails = vacancies = candidates = failed = 0
    for pk, kind in SavedSearch.objects.due(frequency).order_by("pk").values_list("pk", "kind"):
        send = candidate_search_alert_send if kind == SearchKind.CANDIDATES else saved_search_alert_send
        try:
            sent = send(saved_search_id=pk, now=now)
        except Exception:
            logger.exception("Job alert of saved search %s failed", pk)
            failed += 1
            continue
        mails += bool(sent)
        if kind == SearchKind.CANDIDATES:
            candidates += sent
        else:
            vacancies += sent
    return {"mails": mails, "vacancies": vacancies, "candidates": candidates, "failed": failed}
