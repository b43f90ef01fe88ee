from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Document, DocumentAccess


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("id", "seller", "kind", "original_name", "size", "is_current", "uploaded_at")
    list_select_related = ("seller",)
    list_filter = ("kind", "is_current")
    search_fields = ("seller__company_name", "original_name", "sha256")
    autocomplete_fields = ("seller",)
    date_hierarchy = "uploaded_at"
    show_full_result_count = False
    fields = (
        "seller",
        "kind",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "is_current",
        "uploaded_by",
        "uploaded_at",
        "replaced_at",
        "open_link",
    )
    readonly_fields = fields

    @admin.display(description=_("File"))
    def open_link(self, obj: Document) -> str:
        url = reverse("onboarding:document_download", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open (logged)")
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DocumentAccess)
class DocumentAccessAdmin(admin.ModelAdmin):
    list_display = ("accessed_at", "user", "document", "ip_address")
    list_select_related = ("user", "document")
    search_fields = ("user__email", "document__seller__company_name")
    date_hierarchy = "accessed_at"
    show_full_result_count = False
    readonly_fields = ("document", "user", "accessed_at", "ip_address")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
