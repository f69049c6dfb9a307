from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from core import security

        user_logged_in.connect(security.stamp_sign_in, dispatch_uid="core.stamp_sign_in")
        post_save.connect(
            security.end_sessions_of_inactive_user,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="core.end_sessions_of_inactive_user",
        )
