"""Response headers, session lifetimes and ending sessions server-side (issue 7).

Cookie flags, HSTS and the Content-Security-Policy itself are plain settings (config/settings.py);
this module holds what settings alone cannot express.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers

# Powerful browser features the site never uses, denied to it and to anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
# Pages that show drafts, internal notes or account details: never kept by a browser or a proxy.
STAFF_PREFIXES = ("/desk/", "/admin/", "/accounts/")
API_PREFIX = "/api/"
BROWSABLE_API_PREFIX = "/api/v1/"

# Unix times kept in a signed-in session: when the user signed in, and when they were last seen.
STARTED = "claimdesk_signed_in_at"
SEEN = "claimdesk_seen_at"
# The "last seen" stamp is rewritten at most this often, so most requests do not save the session.
SEEN_RESOLUTION = 60


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set, and no-store on private responses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not getattr(response, "xframe_options_exempt", False):
            # XFrameOptionsMiddleware sets it for views; static files are answered before it runs.
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        # Where the policy's report-to group sends its reports (the Reporting API).
        response.headers.setdefault("Reporting-Endpoints", f'csp="{settings.CSP_REPORT_PATH}"')
        path = request.path_info
        if path.startswith(STAFF_PREFIXES):
            add_never_cache_headers(response)
        elif path.startswith(API_PREFIX):
            # The same URL answers differently with a session or a token than without.
            patch_vary_headers(response, ("Cookie", "Authorization"))
            user = getattr(request, "user", None)  # set by DRF for token authentication too
            if user is not None and user.is_authenticated:
                add_never_cache_headers(response)
            if path.startswith(BROWSABLE_API_PREFIX) and response.get("Content-Type", "").startswith("text/html"):
                # DRF's browsable API templates lay out a few buttons with style attributes. Attributes
                # only: <style> elements and stylesheets stay limited to this host. (What the csp_update
                # decorator sets, for views that cannot be decorated here; read by CSPMiddleware above.)
                response._csp_update = {"style-src-attr": ["'unsafe-inline'"]}
        return response


class SessionTimeoutMiddleware:
    """Sign a user out after SESSION_IDLE_TIMEOUT without a request or SESSION_ABSOLUTE_TIMEOUT after sign-in.

    Reads the session the authentication middleware loads anyway, and writes it only when the
    "last seen" stamp is more than a minute old: no extra query on most requests.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            started = session.get(STARTED)
            seen = session.get(SEEN)
            if started is None or seen is None:
                # Signed in before this middleware existed: the clock starts now.
                session[STARTED] = started or now
                session[SEEN] = now
            elif now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                return self.expired(request)
            elif now - seen >= SEEN_RESOLUTION:
                session[SEEN] = now
        return self.get_response(request)

    def expired(self, request: HttpRequest) -> HttpResponse:
        logout(request)  # flushes the session: its row is deleted, its cookie replaced
        if request.path_info.startswith(API_PREFIX) or request.headers.get("X-Requested-With"):
            return JsonResponse({"detail": "Your session has expired. Sign in again."}, status=401)
        return redirect_to_login(request.get_full_path())


def stamp_sign_in(sender, request: HttpRequest, user, **kwargs) -> None:
    """user_logged_in receiver: both clocks start at sign-in (the session key is already new)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = now
        request.session[SEEN] = now


def end_sessions_of_inactive_user(sender, instance, update_fields=None, **kwargs) -> None:
    """post_save receiver for the user model: a deactivated account is signed out everywhere at once."""
    if instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    end_sessions(instance)


def end_sessions(user) -> int:
    """Delete every stored session signed in as this user; returns how many.

    Sessions are stored in the database (the default engine) and only staff have them, so the
    unexpired ones are few enough to read through when an account is deactivated.
    """
    user_id = str(user.pk)
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    return deleted
