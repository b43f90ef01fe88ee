from django.urls import path

from . import views

app_name = "stores"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/binding/", views.binding_claim, name="binding_claim"),
]
