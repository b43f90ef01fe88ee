"""The owner's pages for the API: keys, and webhook endpoints with their deliveries."""

from django.urls import path

from . import portal_views

app_name = "developers"

urlpatterns = [
    path("keys/", portal_views.keys, name="keys"),
    path("keys/<int:pk>/revoke/", portal_views.key_revoke, name="key_revoke"),
    path("webhooks/", portal_views.webhooks, name="webhooks"),
    path("webhooks/<int:pk>/delete/", portal_views.webhook_delete, name="webhook_delete"),
    path("webhooks/<int:pk>/enable/", portal_views.webhook_enable, name="webhook_enable"),
    path(
        "webhooks/deliveries/<int:pk>/resend/",
        portal_views.delivery_resend,
        name="delivery_resend",
    ),
]
