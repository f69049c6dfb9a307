from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("token/", views.api_token, name="api_token"),
    path("two-factor/", views.two_factor_settings, name="two_factor"),
    path("two-factor/qr.svg", views.two_factor_qr, name="two_factor_qr"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
]
