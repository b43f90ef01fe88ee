"""Stores in service, for operations: read-only here (the application's review, the trial's
evaluation and the health check move them), with their audit trail, and the queue of stores
waiting for their platform to confirm the binding."""

from typing import Any

from django.contrib import admin
from django.db.models import Count, Min, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import AdminQueue, ReadOnlyAdmin, admin_queue

from .models import Store, StoreEvent

AWAITING = "awaiting"
CLAIMED = "claimed"
CONFIRMED = "confirmed"


class StoreEventInline(admin.TabularInline[StoreEvent, Store]):
    model = StoreEvent
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    ordering = ("-at", "-id")

    def has_add_permission(self, request: HttpRequest, obj: Store | None = None) -> bool:
        return False


class BindingFilter(admin.SimpleListFilter):
    """Operations' queue: stores still waiting for their platform to report the binding
    (all of them, or those whose seller says it is done), and those confirmed."""

    title = _("binding")
    parameter_name = "binding"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            (AWAITING, _("Waiting for the platform")),
            (CLAIMED, _("Waiting: the seller says it is bound")),
            (CONFIRMED, _("Confirmed by the platform")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Store]) -> QuerySet[Store]:
        value = self.value()
        if value == AWAITING:
            return queryset.filter(bound_at__isnull=True)
        if value == CLAIMED:
            return queryset.filter(bound_at__isnull=True, binding_claimed_at__isnull=False)
        if value == CONFIRMED:
            return queryset.filter(bound_at__isnull=False)
        return queryset


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
        "binding_state",
        "waiting_for",
    )
    list_select_related = ("seller",)
    list_filter = (BindingFilter, "status", "platform", "closure")
    search_fields = ("reference", "platform_store_id", "seller__company_name", "company_name")
    date_hierarchy = "opened_at"
    show_full_result_count = False
    inlines = [StoreEventInline]

    def get_ordering(self, request: HttpRequest) -> list[Any] | tuple[Any, ...]:
        """The queue (``?binding=awaiting|claimed``) oldest first; else newest first."""
        if request.GET.get(BindingFilter.parameter_name) in (AWAITING, CLAIMED):
            return ("opened_at", "id")
        return super().get_ordering(request)

    @admin.display(description=_("binding"))
    def binding_state(self, obj: Store) -> str:
        if obj.bound_at is not None:
            return gettext("Confirmed %(when)s") % {
                "when": timezone.localtime(obj.bound_at).strftime("%Y-%m-%d %H:%M")
            }
        if obj.binding_claimed_at is not None:
            return gettext("Waiting; the seller says bound since %(when)s") % {
                "when": timezone.localtime(obj.binding_claimed_at).strftime("%Y-%m-%d %H:%M")
            }
        return gettext("Waiting for the platform")

    @admin.display(description=_("waiting for"), ordering="opened_at")
    def waiting_for(self, obj: Store) -> str:
        return timesince(obj.opened_at) if obj.bound_at is None else "—"


@admin_queue
def stores_awaiting_binding(request: HttpRequest) -> AdminQueue | None:
    """On the admin's index: stores whose platform has not confirmed the binding yet, for
    operations (who see a store's audit trail; finance sees stores, not this queue)."""
    if not request.user.has_perm("stores.view_storeevent"):
        return None
    waiting = Store.objects.filter(bound_at__isnull=True).aggregate(
        oldest=Min("opened_at"), count=Count("id")
    )
    return AdminQueue(
        code="stores_awaiting_binding",
        label=gettext("Stores waiting for their platform to confirm the binding"),
        count=waiting["count"],
        oldest=waiting["oldest"],
        url=reverse("admin:stores_store_changelist") + f"?binding={AWAITING}",
    )
