"""A staff member's own account: API token, two-factor sign-in, and the lock-out page."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.models import Device
from rest_framework.authtoken.models import Token

from accounts import two_factor
from accounts.forms import CodeForm, SetupCodeForm
from accounts.ip import client_ip

log = logging.getLogger("claimdesk.auth")

PENDING_KEY = "two_factor_pending_key"
NEW_CODES = "two_factor_new_backup_codes"


@login_required
@permission_required("claims.view_claim", raise_exception=True)
@require_http_methods(["GET", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    token = Token.objects.filter(user=request.user).first()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke" and token:
            token.delete()
            messages.success(request, "Your API token is revoked. Scripts using it now get 401.")
        elif action == "create":
            # Replacing revokes the old key at once: a leaked key is dead the moment a new one exists.
            Token.objects.filter(user=request.user).delete()
            token = Token.objects.create(user=request.user)
            # Shown once, right now; afterwards the page shows only its first characters.
            request.session["new_api_token"] = token.key
            messages.success(request, "New API token created. Copy it now: it will not be shown again.")
        return redirect("accounts:api_token")
    new_key = request.session.pop("new_api_token", None)
    return render(request, "accounts/api_token.html", {"token": token, "new_key": new_key})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app or a backup code."""
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if two_factor.authenticator(user) is None:
        return redirect(two_factor.SETUP)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _accepting_device(form, user)
        if device is not None:
            two_factor.mark_verified(request, device)
            log.info("sign-in: second factor accepted user=%s ip=%s", user.get_username(), client_ip(request))
            return redirect(next_url)
        log.warning("sign-in: second factor refused user=%s ip=%s", user.get_username(), client_ip(request))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app, renew backup codes, or turn two-factor sign-in off."""
    user = request.user
    device = two_factor.authenticator(user)
    if device is None:
        return _two_factor_setup(request)
    required = two_factor.is_required(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "backup_codes":
            request.session[NEW_CODES] = two_factor.new_backup_codes(user)
            log.info("two-factor: backup codes renewed user=%s ip=%s", user.get_username(), client_ip(request))
            return redirect(two_factor.SETUP)
        if action == "disable" and required:
            messages.error(request, "Editors and administrators must keep two-factor sign-in on.")
            return redirect(two_factor.SETUP)
        if action == "disable" and form.is_valid() and _accepting_device(form, user) is not None:
            two_factor.disable(user)
            log.info("two-factor: turned off user=%s ip=%s", user.get_username(), client_ip(request))
            messages.success(request, "Two-factor sign-in is off. You sign in with your password alone.")
            return redirect(two_factor.SETUP)
    context = {
        "device": device,
        "required": required,
        "form": form,
        "codes_left": two_factor.backup_codes_left(user),
        "new_codes": request.session.pop(NEW_CODES, None),
        "next": _next_url(request) if request.GET.get("next") else "",
    }
    return render(request, "accounts/two_factor.html", context)


def _two_factor_setup(request: HttpRequest) -> HttpResponse:
    """The secret waits in the session, not the database, until a code from the app proves it was copied."""
    user = request.user
    key = request.session.get(PENDING_KEY)
    if key is None:
        key = request.session[PENDING_KEY] = two_factor.new_key()
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = two_factor.confirms(key, form.cleaned_data["code"])
        if step is not None:
            device, codes = two_factor.enable(user, key, confirmed_at_step=step)
            two_factor.mark_verified(request, device)
            del request.session[PENDING_KEY]
            request.session[NEW_CODES] = codes
            log.info("two-factor: turned on user=%s ip=%s", user.get_username(), client_ip(request))
            # On to the page that shows the backup codes, once, with the way on to ``next``.
            target = reverse(two_factor.SETUP)
            if request.GET.get("next"):
                target += "?" + urlencode({"next": _next_url(request)})
            return redirect(target)
        form.add_error("code", "That code does not match. Check the app shows Claimdesk and enter its newest code.")
    context = {
        "form": form,
        "secret": two_factor.readable_secret(key),
        "required": two_factor.is_required(user),
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@login_required
@require_GET
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the secret being set up, as an image from our own host (the CSP allows no other)."""
    key = request.session.get(PENDING_KEY)
    if key is None or two_factor.authenticator(request.user) is not None:
        raise Http404("No authenticator is being set up.")
    return HttpResponse(two_factor.qr_svg(request.user, key), content_type="image/svg+xml")


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes calls this when a sign-in is refused for too many failures (AXES_LOCKOUT_CALLABLE).

    The same words whether or not the account exists, so the page tells an attacker nothing.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def _accepting_device(form: CodeForm, user) -> Device | None:
    """The device that accepts the form's code; else None, with the reason on the form."""
    try:
        device = two_factor.verify(user, form.cleaned_data["code"])
    except two_factor.Throttled as wait:
        form.add_error("code", f"Too many wrong codes. Wait {wait.seconds} seconds, then enter the newest code.")
        return None
    if device is None:
        form.add_error("code", "That code is wrong or already used. Enter the newest code from your app.")
    return device


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)
