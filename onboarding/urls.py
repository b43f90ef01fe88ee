from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("", views.index, name="index"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/step/<slug:step>/", views.application_step, name="step"),
    path("applications/<int:pk>/documents/", views.application_documents, name="documents"),
    path("applications/<int:pk>/submit/", views.application_submit_view, name="submit"),
    path(
        "applications/<int:pk>/progress.json",
        views.application_progress_json,
        name="progress",
    ),
    path("applications/<int:pk>/letter/<slug:kind>/", views.application_letter, name="letter"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("health/", views.health, name="health"),
    path("applications/<int:pk>/id-renewal/", views.id_renewal, name="id_renewal"),
]
