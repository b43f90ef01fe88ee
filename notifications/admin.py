"""Notifications in the operations console: what each seller was told, and whether the
e-mail went (read-only: only services write them)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "seller", "kind", "key", "email_state", "emailed_at", "read_at")
    list_select_related = ("seller",)
    list_filter = ("kind", "email_state")
    search_fields = ("key", "seller__company_name")
    date_hierarchy = "created_at"
    show_full_result_count = False
