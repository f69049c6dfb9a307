from django.http import HttpRequest, HttpResponse
from django.views.csrf import csrf_failure as django_csrf_failure


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal page, with the reason kept for the audit record."""
    request.audit_reason = f"CSRF check failed: {reason}"
    return django_csrf_failure(request, reason=reason)
