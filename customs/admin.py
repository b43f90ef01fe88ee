"""Operations' customs data: rules with their dates, the FX table, the generic terms; the
sellers' registrations to look up."""

from django.contrib import admin
from django.http import HttpRequest

from core.admin import NoDeleteAdmin

from .models import CustomsRule, FxRate, GenericTerm, TaxRegistration


@admin.register(CustomsRule)
class CustomsRuleAdmin(NoDeleteAdmin):
    list_display = (
        "kind",
        "countries",
        "amount",
        "currency",
        "number",
        "effective_from",
        "effective_to",
    )
    list_filter = ("kind",)
    date_hierarchy = "effective_from"


@admin.register(FxRate)
class FxRateAdmin(NoDeleteAdmin):
    list_display = ("currency", "cny_per_unit", "effective_from")
    list_filter = ("currency",)
    date_hierarchy = "effective_from"
    search_fields = ("currency",)


@admin.register(GenericTerm)
class GenericTermAdmin(admin.ModelAdmin):
    list_display = ("term",)
    search_fields = ("term",)


@admin.register(TaxRegistration)
class TaxRegistrationAdmin(NoDeleteAdmin):
    list_display = ("seller", "kind", "number", "created_at")
    list_select_related = ("seller",)
    list_filter = ("kind",)
    search_fields = ("number", "seller__company_name")
    readonly_fields = ("seller", "kind", "number", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
