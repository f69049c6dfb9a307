from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from config.api import router
from core import csp
from core import views as core_views
from public import views as public_views

DOCS_METHODS = ["get", "head"]
# What the API documentation pages need beyond the site's policy, on those pages only (the browser
# test tests/browser/test_security_csp.py notices when a new version needs more). Both draw icons
# as data: images. Redoc adds <style> elements as it runs, empty ones that it fills through the
# CSSOM and one for its scroll bars, admitted by their hashes; and it searches in a blob: worker.
SWAGGER_UI_POLICY = {"img-src": ["data:"]}
REDOC_POLICY = {
    "img-src": ["data:"],
    "style-src": [
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # an empty <style>
        "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar's rules
    ],
    "worker-src": ["blob:"],
}

# A database outage is a plain 503 with Retry-After (JSON under /api/), never a trace.
handler500 = "core.failsafe.server_error"

urlpatterns = [
    path("", public_views.claim_list, name="home"),
    path("", include("public.urls")),
    path("desk/", include("claims.urls")),
    path("desk/", include("sources.urls")),
    path("desk/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", core_views.healthz, name="healthz"),
    path(settings.CSP_REPORT_PATH.lstrip("/"), csp.report, name="csp_report"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The documentation pages answer GET only: an OPTIONS request for Swagger UI's page
    # would otherwise be rendered with its HTML template and fail with a 500.
    # Swagger UI's start-up script is fetched as a file (the split view) and both pages use our own
    # <head>: no inline script or style, no web fonts, so they run under the site's CSP, widened
    # only as far as the policies above.
    path(
        "api/docs/",
        csp_update(SWAGGER_UI_POLICY)(
            SpectacularSwaggerSplitView.as_view(
                url_name="schema", http_method_names=DOCS_METHODS, template_name="api/swagger_ui.html"
            )
        ),
        name="swagger-ui",
    ),
    path(
        "api/redoc/",
        csp_update(REDOC_POLICY)(
            SpectacularRedocView.as_view(
                url_name="schema", http_method_names=DOCS_METHODS, template_name="api/redoc.html"
            )
        ),
        name="redoc",
    ),
]
