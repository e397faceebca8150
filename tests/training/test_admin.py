import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from tests.factories import CaseworkerFactory, UserFactory

from .helpers import make_offer

pytestmark = pytest.mark.django_db


def test_portal_admin_edits_offers_in_the_admin_and_it_is_audited(client):
    offer = make_offer()
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:training_trainingoffer_changelist"), {"q": "Forklift"}).status_code == 200
    change = reverse("admin:training_trainingoffer_change", args=[offer.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert client.get(reverse("admin:training_trainingprovider_changelist")).status_code == 200
    event_count = AuditEvent.objects.filter(kind="training_offer_updated", subject_id=offer.pk).count()
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["skills"] = ",".join(str(pk) for pk in data.get("skills", []))
    data["hours_total"] = 24
    for inline in ("language_levels", "starts"):  # no inline rows posted: the existing ones stay
        data.update({f"{inline}-TOTAL_FORMS": 0, f"{inline}-INITIAL_FORMS": 0})
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    offer.refresh_from_db()
    assert offer.hours_total == 24
    assert AuditEvent.objects.filter(kind="training_offer_updated", subject_id=offer.pk).count() == event_count + 1


def test_a_caseworker_does_not_get_into_the_admin(client):
    client.force_login(CaseworkerFactory())
    response = client.get(reverse("admin:training_trainingoffer_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
