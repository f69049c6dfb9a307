from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.api import router
from public import views as public_views

DOCS_METHODS = ["get", "head"]

urlpatterns = [
    path("", public_views.claim_list, name="home"),
    path("", include("public.urls")),
    path("desk/", include("claims.urls")),
    path("desk/", include("sources.urls")),
    path("desk/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The documentation pages answer GET only: an OPTIONS request for Swagger UI's page
    # would otherwise be rendered with its HTML template and fail with a 500.
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="schema", http_method_names=DOCS_METHODS),
        name="swagger-ui",
    ),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema", http_method_names=DOCS_METHODS), name="redoc"),
]
