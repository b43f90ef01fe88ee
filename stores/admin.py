"""Stores in service, for operations: read-only here (the application's review, the trial's
evaluation and the health check move them), with their audit trail."""

from django.contrib import admin
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin

from .models import Store, StoreEvent


class StoreEventInline(admin.TabularInline[StoreEvent, Store]):
    model = StoreEvent
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    ordering = ("-at", "-id")

    def has_add_permission(self, request: HttpRequest, obj: Store | None = None) -> bool:
        return False


@admin.register(Store)
class StoreAdmin(ReadOnlyAdmin[Store]):
    list_display = (
        "reference",
        "seller",
        "platform",
        "platform_store_id",
        "status",
        "trial_used",
        "opened_at",
    )
    list_select_related = ("seller",)
    list_filter = ("status", "platform", "closure")
    search_fields = ("reference", "platform_store_id", "seller__company_name", "company_name")
    date_hierarchy = "opened_at"
    show_full_result_count = False
    inlines = [StoreEventInline]
