from django.urls import path

from . import views

app_name = "shipments"

urlpatterns = [
    path("", views.index, name="index"),
]
