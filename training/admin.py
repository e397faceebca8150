"""Training providers and offers in the Django admin (portal admins only, as every admin page)."""

from django.contrib import admin
from django.db import models

from audit.services import audit_record

from .models import TrainingOffer, TrainingOfferLanguage, TrainingProvider, TrainingStart


class TrainingOfferLanguageInline(admin.TabularInline):
    model = TrainingOfferLanguage
    extra = 0


class TrainingStartInline(admin.TabularInline):
    model = TrainingStart
    extra = 0


@admin.register(TrainingProvider)
class TrainingProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "is_demo", "website"]
    list_filter = ["country", "is_demo"]
    search_fields = ["name", "source"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(TrainingOffer)
class TrainingOfferAdmin(admin.ModelAdmin):
    list_display = ["title_en", "provider", "reference", "place", "instruction_language", "funding", "is_active"]
    list_filter = ["is_active", "funding", "instruction_language", "place__country", "provider"]
    search_fields = ["title_nl", "title_fr", "title_en", "reference", "provider__name"]
    list_select_related = ["provider", "place"]
    # ~14,000 skills and ~230 places: ids with a lookup pop-up, not a list of every one.
    raw_id_fields = ["place", "skills"]
    readonly_fields = ["created_at", "updated_at", "updated_by"]
    inlines = [TrainingOfferLanguageInline, TrainingStartInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change) -> None:
        # The admin writes directly (no service): it records its change as the pages do.
        super().save_model(request, obj, form, change)
        audit_record(
            kind="training_offer_updated" if change else "training_offer_created",
            actor=request.user,
            subject=("training_offer", obj.pk),
            where="admin",
        )
