"""Holds a signed-in user who owes a second factor at the step that collects it."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts import two_factor

API_PREFIX = "/api/"


class SecondFactorMiddleware:
    """A password alone opens nothing for users who have (or must have) a second factor.

    Until the session is verified, every page answers with a redirect to the verify step
    (or, for an editor or administrator without an authenticator yet, to setting one up),
    and the API answers 403. Signing in again or out stays open. Requests that carry an
    API token and no session are not affected: the token is the credential there.
    Must come after django_otp's OTPMiddleware, which tells whether the session is verified.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():
            step = two_factor.step_due(user)
            if step and request.path_info not in open_paths(step):
                return refuse(request, step)
        return self.get_response(request)


def open_paths(step: str) -> set[str]:
    paths = {reverse(step), reverse("login"), reverse("logout")}
    if step == two_factor.SETUP:
        paths.add(reverse("accounts:two_factor_qr"))
    return paths


def refuse(request: HttpRequest, step: str) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse(
            {
                "detail": "Two-factor sign-in is required for this account: finish signing in on the site, "
                "or use an API token."
            },
            status=403,
        )
    target = reverse(step)
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return redirect(target)
