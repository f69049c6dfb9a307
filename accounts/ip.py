"""The address a request came from, as sign-in throttling and the sign-in log see it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless the request came through one of CLAIMDESK_TRUSTED_PROXIES.

    Anyone can write X-Forwarded-For, so it is read only when the connection comes from a
    proxy we run. Each proxy appends the address it saw, so the right-most address that
    is not one of ours is the client; an address that does not parse is ignored.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = set(settings.CLAIMDESK_TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if hop in trusted:
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            return remote
    return remote
