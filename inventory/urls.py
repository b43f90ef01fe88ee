from django.urls import path

from . import views

app_name = "inventory"

urlpatterns = [
    path("", views.stock, name="stock"),
    path("stock/<int:pk>/", views.movements, name="movements"),
    path("skus/", views.skus, name="skus"),
    path("skus/<int:pk>/", views.sku_edit, name="sku"),
    path("inbound/", views.inbound, name="inbound"),
    path("inbound/<int:pk>/", views.inbound_detail, name="inbound_detail"),
    path("locks/", views.locks, name="locks"),
    path("locks/<int:pk>/release/", views.lock_release, name="lock_release"),
    path("forecast/", views.forecast_page, name="forecast"),
    path("route/", views.route, name="route"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/", views.order, name="order"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order_cancel"),
]
