from django.contrib import admin

from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    """Operations see which keys a seller has and when they were last used; the secret
    itself is never stored, and only the owner makes or revokes keys."""

    list_display = ("prefix", "name", "seller", "livemode", "scope", "last_used_at", "revoked_at")
    list_filter = ("livemode", "scope")
    list_select_related = ("seller",)
    search_fields = ("prefix", "seller__company_name")
    readonly_fields = (
        "seller", "name", "livemode", "scope", "prefix", "created_by", "created_at",
        "last_used_at", "revoked_at",
    )  # fmt: skip
    exclude = ("hashed",)
    show_full_result_count = False

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
