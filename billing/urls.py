from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.index, name="index"),
    path("settlement/switch/", views.settlement_switch, name="settlement_switch"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path(
        "statements/<int:pk>/download/<slug:fmt>/",
        views.statement_download,
        name="statement_download",
    ),
]
