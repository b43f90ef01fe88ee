from django.urls import path

from .views import imports, labels, pages, refused, tracking

app_name = "shipments"

urlpatterns = [
    path("", pages.index, name="index"),
    path("imports/", imports.import_list, name="imports"),
    path("imports/template.csv", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import"),
    path("imports/<int:pk>/progress.json", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/discard/", imports.import_discard, name="import_discard"),
    path("imports/<int:pk>/report.csv", imports.import_report, name="import_report"),
    path("new/", pages.create, name="create"),
    path("refused/", refused.refused_list, name="refused"),
    path("export.csv", pages.export, name="export"),
    path("<int:pk>/", pages.detail, name="detail"),
    path("<int:pk>/cancel/", pages.cancel, name="cancel"),
    path("labels/", labels.labels, name="labels"),
    # The carrier's signed webhook: no login, no CSRF (an HMAC signature instead).
    path("webhooks/carrier/", tracking.carrier_webhook, name="carrier_webhook"),
]
