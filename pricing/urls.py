from django.urls import path

from . import views

app_name = "pricing"

urlpatterns = [
    path("quote/", views.quote_calculator, name="quote"),
]
