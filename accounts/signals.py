"""Every sign-in success, failure and lock-out goes to the "claimdesk.auth" log, with the
username and address and never the password. Values are passed as %-style arguments so
that the log's filters can escape line breaks a username might carry."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.ip import client_ip

log = logging.getLogger("claimdesk.auth")


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="claimdesk_log_sign_in")
def log_sign_in(sender, request, user, **kwargs) -> None:
    log.info("sign-in: password accepted user=%s ip=%s", user.get_username(), _ip(request))


@receiver(user_login_failed, dispatch_uid="claimdesk_log_sign_in_failure")
def log_sign_in_failure(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in ``credentials``; only the username is logged.
    log.warning("sign-in failed user=%s ip=%s", credentials.get("username", ""), _ip(request))


@receiver(user_locked_out, dispatch_uid="claimdesk_log_lock_out")
def log_lock_out(sender, request, username, ip_address, **kwargs) -> None:
    log.warning("sign-in locked out user=%s ip=%s", username, ip_address)


@receiver(user_logged_out, dispatch_uid="claimdesk_log_sign_out")
def log_sign_out(sender, request, user, **kwargs) -> None:
    log.info("sign-out user=%s ip=%s", user.get_username() if user else "", _ip(request))
