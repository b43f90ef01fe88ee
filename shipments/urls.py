from django.urls import path

from .views import pages

app_name = "shipments"

urlpatterns = [
    path("", pages.index, name="index"),
]
