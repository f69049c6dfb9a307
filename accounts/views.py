"""A staff member's personal API token: see, create, replace, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token


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
