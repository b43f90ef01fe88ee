"""The seller's team. Sign-up, login, logout, e-mail verification, password change and
reset, and two-factor authentication are django-allauth's (``allauth.urls``, mounted under
``/accounts/`` beside these in ``config/urls.py``)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("team/", views.team, name="team"),
    path("team/alert-phone/", views.team_alert_phone, name="team_alert_phone"),
    path("team/<int:pk>/active/", views.team_member_active, name="team_member_active"),
]
