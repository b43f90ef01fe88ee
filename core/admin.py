"""Admin bases shared by the apps: the admin is the operations console, and business rows
are written by services, never deleted from a list."""

from django.contrib import admin


class NoDeleteAdmin(admin.ModelAdmin):
    """No delete, and no bulk ``delete_selected`` action."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyAdmin(NoDeleteAdmin):
    """Rows written only by services: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
