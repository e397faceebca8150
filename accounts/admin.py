from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Employer, EmploymentService, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "employer", "employment_service", "is_active"]
    list_filter = ["role", "employment_service", "is_active", "is_staff"]
    list_select_related = ["employer", "employment_service"]
    search_fields = ["email", "first_name", "last_name"]
    raw_id_fields = ["employer"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (_("Role"), {"fields": ("role", "employer", "employment_service", "is_coordinator")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),)
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-factor authentication (lost phone)"))
    def reset_two_factor(self, request, queryset):
        """The users set up their authenticator app again at their next login (docs/operations.md)."""
        from django.contrib import messages

        from .two_factor import two_factor_reset

        for user in queryset:
            two_factor_reset(user=user)
        self.message_user(
            request,
            _("Two-factor authentication reset for %(count)d user(s).") % {"count": queryset.count()},
            messages.SUCCESS,
        )


class TwoFactorDeviceAdmin(admin.ModelAdmin):
    """Who has set up their authenticator app, without its secret: django-otp's own admin shows the key
    and its QR code, with which an admin could copy a user's second factor. Deleting a device is a
    reset (as the user list's action): the user sets up the app again at the next login."""

    list_display = ["user", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    list_filter = ["confirmed"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False  # set up by the user, on the portal


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)  # django-otp's, registered before ours (INSTALLED_APPS order)
admin.site.register(TOTPDevice, TwoFactorDeviceAdmin)


@admin.register(EmploymentService)
class EmploymentServiceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "code", "country", "website"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["legal_name", "country", "kvk_number", "enterprise_number", "place", "is_verified"]
    list_filter = ["country", "is_verified"]
    search_fields = ["legal_name", "kvk_number", "enterprise_number"]
    list_select_related = ["place"]
    raw_id_fields = ["place", "verified_by"]


# --- API tokens (systems of employers and employment services) ---------------------------------
from django import forms  # noqa: E402
from django.contrib import messages  # noqa: E402

from .models import ApiScope, ApiToken  # noqa: E402
from .services import api_token_issue, api_token_revoke  # noqa: E402


class ApiTokenAdminForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiToken
        fields = ["name", "employer", "employment_service", "scopes", "expires_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Issue (the token is shown once, right after saving) and revoke tokens; never edit them."""

    form = ApiTokenAdminForm
    list_display = [
        "name",
        "prefix",
        "employer",
        "employment_service",
        "scopes",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["employment_service"]
    list_select_related = ["employer", "employment_service"]
    search_fields = ["name", "prefix", "employer__legal_name"]
    raw_id_fields = ["employer"]
    readonly_fields = ["prefix", "user", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "name", "employer", "employment_service", "scopes", "expires_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return  # tokens are immutable; revoke and issue a new one
        token, key = api_token_issue(
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            employer=form.cleaned_data.get("employer"),
            employment_service=form.cleaned_data.get("employment_service"),
            created_by=request.user,
            expires_at=form.cleaned_data.get("expires_at"),
        )
        obj.__dict__.update({k: v for k, v in token.__dict__.items() if not k.startswith("_")})
        obj._state.adding = False
        messages.warning(
            request,
            _("The token is %(key)s — copy it now: it is stored hashed and will not be shown again.") % {"key": key},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        messages.success(request, _("%(count)d token(s) revoked.") % {"count": queryset.count()})


# --- the mail outbox (read-only: rows are written by the notifications, sent by a task) --------
from .models import OutgoingEmail  # noqa: E402


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["key", "to", "subject", "created_at", "sent_at", "attempts", "tried_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "language"]
    search_fields = ["key", "to", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "key",
        "user",
        "to",
        "language",
        "subject",
        "body",
        "headers",
        "created_at",
        "sent_at",
        "attempts",
        "tried_at",
        "last_error",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
