from django.urls import path

from . import views

app_name = "customs"

urlpatterns = [
    path("registrations/", views.registrations, name="registrations"),
]
