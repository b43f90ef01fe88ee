"""/api/v1/: the seller API; /api/v1/schema/ its OpenAPI 3; /api/docs/ Swagger UI and
/api/docs/redoc/ Redoc, from this origin (drf-spectacular-sidecar)."""

from django.urls import path

from . import docs, views

app_name = "api"

urlpatterns = [
    path("v1/quotes", views.QuoteView.as_view(), name="quotes"),
    path("v1/shipments", views.ShipmentListView.as_view(), name="shipments"),
    path("v1/shipments/<str:tracking_number>", views.ShipmentDetailView.as_view(), name="shipment"),
    path(
        "v1/shipments/<str:tracking_number>/cancel",
        views.ShipmentCancelView.as_view(),
        name="shipment_cancel",
    ),
    path(
        "v1/shipments/<str:tracking_number>/label",
        views.ShipmentLabelView.as_view(),
        name="shipment_label",
    ),
    path(
        "v1/shipments/<str:tracking_number>/simulate",
        views.ShipmentSimulateView.as_view(),
        name="shipment_simulate",
    ),
    path("v1/labels", views.LabelsView.as_view(), name="labels"),
    path("v1/batches", views.BatchCreateView.as_view(), name="batches"),
    path("v1/batches/<int:pk>", views.BatchDetailView.as_view(), name="batch"),
    path("v1/refusals", views.RefusalListView.as_view(), name="refusals"),
    path("v1/diagnose/<path:order_number>", views.DiagnoseView.as_view(), name="diagnose"),
    path("v1/balance", views.BalanceView.as_view(), name="balance"),
    path("v1/statements", views.StatementListView.as_view(), name="statements"),
    path("v1/webhook-endpoints", views.WebhookEndpointListView.as_view(), name="webhook_endpoints"),
    path(
        "v1/webhook-endpoints/<int:pk>",
        views.WebhookEndpointDetailView.as_view(),
        name="webhook_endpoint",
    ),
    path(
        "v1/webhook-endpoints/<int:pk>/deliveries",
        views.WebhookDeliveryListView.as_view(),
        name="webhook_deliveries",
    ),
    path(
        "v1/webhook-endpoints/<int:pk>/deliveries/<int:delivery_pk>/resend",
        views.WebhookDeliveryResendView.as_view(),
        name="webhook_delivery_resend",
    ),
    path(
        "v1/webhook-endpoints/<int:pk>/rotate-secret",
        views.WebhookEndpointRotateView.as_view(),
        name="webhook_endpoint_rotate",
    ),
    path("v1/schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", docs.RedocView.as_view(url_name="api:schema"), name="redoc"),
]
