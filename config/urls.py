from django.contrib import admin
from django.urls import include, path

from claims import views as claim_views

urlpatterns = [
    path("", claim_views.home, name="home"),
    path("desk/", include("claims.urls")),
    path("desk/", include("sources.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
