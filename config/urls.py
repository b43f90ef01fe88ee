from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "经络速通运营后台"
admin.site.site_title = "经络速通运营后台"
# The admin's login is allauth's: the same rate limits, and the TOTP code for staff.
# allauth's documented recipe wraps the bound method in place; mypy refuses any method assignment.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("onboarding/", include("onboarding.urls")),
    path("stores/", include("stores.urls")),
    path("shipments/", include("shipments.urls")),
    path("billing/", include("billing.urls")),
    path("pricing/", include("pricing.urls")),
    path("customs/", include("customs.urls")),
    path("inventory/", include("inventory.urls")),
    path("diagnostics/", include("diagnostics.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("developers/", include("api.portal_urls")),
    path("", include("portal.urls")),
]

# Under /api/ Django's own errors are problem+json too (api.handlers); elsewhere its pages.
handler400 = "api.handlers.bad_request"
handler403 = "api.handlers.permission_denied"
handler404 = "api.handlers.page_not_found"
handler500 = "api.handlers.server_error"
