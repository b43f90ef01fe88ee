from django.contrib import admin

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin[WebhookEndpoint]):
    list_display = ("url", "seller", "livemode", "created_at", "failing_since", "disabled_at")
    list_filter = ("livemode",)
    list_select_related = ("seller",)
    search_fields = ("url", "seller__company_name")
    readonly_fields = ("seller", "url", "livemode", "enabled_events", "created_at", "failing_since")
    exclude = ("secret_encrypted",)
    show_full_result_count = False

    def has_add_permission(self, request: object) -> bool:
        return False


class AttemptInline(admin.TabularInline[WebhookAttempt, WebhookDelivery]):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "at", "status_code", "response_excerpt", "error", "duration_ms")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = ("event", "endpoint", "status", "attempts", "next_attempt_at", "created_at")
    list_filter = ("status",)
    list_select_related = ("event", "endpoint")
    readonly_fields = ("event", "endpoint", "status", "attempts", "next_attempt_at", "created_at")
    inlines = [AttemptInline]
    show_full_result_count = False

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin[WebhookEvent]):
    list_display = ("public_id", "type", "seller", "livemode", "created_at")
    list_filter = ("type", "livemode")
    list_select_related = ("seller",)
    search_fields = ("public_id",)
    readonly_fields = ("public_id", "type", "seller", "livemode", "data", "created_at")
    show_full_result_count = False

    def has_add_permission(self, request: object) -> bool:
        return False
