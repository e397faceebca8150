from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

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
        (_("Role"), {"fields": ("role", "employer", "employment_service")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),)


@admin.register(EmploymentService)
class EmploymentServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "country", "website"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "country", "kvk_number", "enterprise_number", "place", "is_verified"]
    list_filter = ["country", "is_verified"]
    search_fields = ["legal_name", "kvk_number", "enterprise_number"]
    list_select_related = ["place"]
    raw_id_fields = ["place", "verified_by"]
