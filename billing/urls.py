from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.index, name="index"),
    path("settlement/switch/", views.settlement_switch, name="settlement_switch"),
    path("settlement/balance-alert/", views.low_balance_alert, name="low_balance_alert"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path(
        "statements/<int:pk>/download/<slug:fmt>/",
        views.statement_download,
        name="statement_download",
    ),
]
