from django.contrib import admin
from django.db import models

from .models import (
    Diploma,
    IscoGroup,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Place,
    PostalCode,
    ReferenceDataVersion,
    Skill,
    SkillLabel,
    StudyField,
)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "country", "region", "bank", "latitude", "longitude"]
    list_filter = ["country", "province", "region", "bank"]
    search_fields = ["name", "municipality"]


@admin.register(PostalCode)
class PostalCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "locality", "municipality", "place"]
    search_fields = ["code", "locality", "municipality"]
    list_select_related = ["place"]
    raw_id_fields = ["place"]


@admin.register(Diploma)
class DiplomaAdmin(admin.ModelAdmin):
    list_display = ["code", "country", "label_nl", "framework", "framework_level", "eqf_level", "is_minimum_secondary"]
    list_filter = ["country", "eqf_level", "is_minimum_secondary"]


@admin.register(StudyField)
class StudyFieldAdmin(admin.ModelAdmin):
    list_display = ["code", "label_nl", "label_en", "is_stem"]


@admin.register(IscoGroup)
class IscoGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "label_en", "label_nl"]
    list_filter = ["level"]
    search_fields = ["code", "label_en", "label_nl"]
    raw_id_fields = ["parent"]


class OccupationSkillInline(admin.TabularInline):
    model = OccupationSkill
    raw_id_fields = ["skill"]
    extra = 0


class OccupationLabelInline(admin.TabularInline):
    model = OccupationLabel
    fields = ["language", "text", "is_preferred", "search_form"]
    readonly_fields = ["search_form"]  # filled by the loader
    extra = 0


class SkillLabelInline(admin.TabularInline):
    model = SkillLabel
    fields = ["language", "text", "is_preferred", "is_portal_translation", "search_form"]
    readonly_fields = ["search_form"]
    extra = 0


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["label_nl", "label_en", "isco_group", "sector", "is_stem", "is_port_relevant"]
    list_filter = ["is_port_relevant", "is_stem", "sector"]
    search_fields = ["label_nl", "label_en", "label_fr", "uri", "isco_group__code"]
    list_select_related = ["isco_group"]
    raw_id_fields = ["isco_group"]
    inlines = [OccupationLabelInline, OccupationSkillInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["label_nl", "label_en", "skill_type", "is_port_relevant"]
    list_filter = ["is_port_relevant", "skill_type"]
    search_fields = ["label_nl", "label_en", "label_fr", "uri"]
    inlines = [SkillLabelInline]


@admin.register(ReferenceDataVersion)
class ReferenceDataVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "digest", "loaded_at"]
    readonly_fields = ["name", "digest", "loaded_at"]
