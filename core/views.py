"""Views that belong to no app."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and answering. No database, no template, no session: it is what a
    load balancer polls, and the benchmark's baseline for the cheapest page Django can serve."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
