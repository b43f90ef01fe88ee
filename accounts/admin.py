from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Seller, User


class SellerUserInline(admin.TabularInline):
    model = User
    fields = ("email", "seller_role", "is_active", "last_login", "date_joined")
    readonly_fields = ("email", "seller_role", "last_login", "date_joined")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ("id", "company_name", "alert_phone", "created_at")
    search_fields = ("company_name", "users__email")
    date_hierarchy = "created_at"
    # The owner sets the alert number on the team page, where it is checked and normalised.
    readonly_fields = ("alert_phone", "created_at")
    inlines = [SellerUserInline]
    show_full_result_count = False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ("email",)
    list_display = ("email", "seller", "seller_role", "is_staff", "is_active", "last_login")
    list_select_related = ("seller",)
    list_filter = ("is_staff", "is_active", "seller_role", "groups")
    search_fields = ("email", "first_name", "last_name", "seller__company_name")
    autocomplete_fields = ("seller",)
    readonly_fields = ("last_login", "date_joined")
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Seller"), {"fields": ("seller", "seller_role")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                    "is_staff",
                    "groups",
                ),
            },
        ),
    )
