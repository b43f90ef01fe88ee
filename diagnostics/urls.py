from django.urls import path

from . import views

app_name = "diagnostics"

urlpatterns = [
    path("", views.index, name="index"),
]
