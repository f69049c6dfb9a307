from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from claims.models import Claim

CLAIMS_PER_PAGE = 25


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: what the desk has published, newest first."""
    claims = Claim.objects.public().order_by("-published_at", "-id").prefetch_related("topics", "regions")
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/home.html", {"page": page})
