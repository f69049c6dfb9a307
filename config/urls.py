from django.contrib import admin
from django.urls import include, path

from public import views as public_views

urlpatterns = [
    path("", public_views.claim_list, name="home"),
    path("", include("public.urls")),
    path("desk/", include("claims.urls")),
    path("desk/", include("sources.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
