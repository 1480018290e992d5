from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal.middleware import SessionIdleTimeoutMiddleware
        from portal.models import User
        from portal.signals import user_email_address_sync

        post_save.connect(user_email_address_sync, sender=User, dispatch_uid="portal-user-email-address")
        user_logged_in.connect(SessionIdleTimeoutMiddleware.on_login, dispatch_uid="portal-session-last-seen")
