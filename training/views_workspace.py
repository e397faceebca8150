"""The caseworkers' and portal admins' training pages (/workspace/training/): the offers with
filters, one offer, create/edit/deactivate, and the CSV import with its per-row report."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import caseworker_required

from . import selectors, services
from .forms import TrainingImportForm, TrainingOfferFilterForm, TrainingOfferForm
from .imports import ImportFileError, import_training_offers
from .models import TrainingOffer

PAGE_SIZE = 25


def _offer_or_404(pk: int) -> TrainingOffer:
    try:
        return selectors.training_offer_detail(pk=pk)
    except TrainingOffer.DoesNotExist as error:
        raise Http404 from error


@caseworker_required
def offer_list(request: HttpRequest) -> HttpResponse:
    form = TrainingOfferFilterForm(request.GET or None)
    offers = (
        selectors.training_offer_list(**form.selector_kwargs()) if form.is_valid() else selectors.training_offer_list()
    )
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "training/offer_list.html",
        {"form": form, "page_obj": page, "offers": page.object_list, "query_string": params.urlencode()},
    )


@caseworker_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "training/offer_detail.html", {"offer": _offer_or_404(pk)})


def _save(request: HttpRequest, form: TrainingOfferForm, offer: TrainingOffer | None) -> TrainingOffer:
    lists = {
        "skills": form.cleaned_data["skills"],
        "language_levels": form.language_levels(),
        "starts": form.cleaned_data["starts"],
    }
    if offer is None:
        return services.training_offer_create(actor=request.user, fields=form.offer_fields(), **lists)
    return services.training_offer_update(actor=request.user, offer=offer, fields=form.offer_fields(), **lists)


@caseworker_required
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    form = TrainingOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        offer = _save(request, form, None)
        messages.success(request, _("The training offer is saved."))
        return redirect("training:offer_detail", pk=offer.pk)
    return render(request, "training/offer_form.html", {"form": form, "offer": None})


@caseworker_required
@require_http_methods(["GET", "POST"])
def offer_update(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_or_404(pk)
    form = TrainingOfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        _save(request, form, offer)
        messages.success(request, _("The training offer is saved."))
        return redirect("training:offer_detail", pk=offer.pk)
    return render(request, "training/offer_form.html", {"form": form, "offer": offer})


@caseworker_required
@require_POST
def offer_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_or_404(pk)
    services.training_offer_deactivate(actor=request.user, offer=offer)
    messages.success(request, _("The training offer is no longer active."))
    return redirect("training:offer_detail", pk=offer.pk)


@caseworker_required
@require_http_methods(["GET", "POST"])
def offer_import(request: HttpRequest) -> HttpResponse:
    form = TrainingImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_training_offers(form.cleaned_data["file"].read(), actor=request.user)
        except ImportFileError as error:
            form.add_error("file", str(error))
    return render(request, "training/offer_import.html", {"form": form, "report": report})
