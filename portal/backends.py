from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.internal.userkit import filter_users_by_email

from portal.adapters import owns_email


class EmailAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, but an address signs in only the account that owns it: its User.email or a
    verified address of it. allauth also tries every account that merely lists the address (unverified)."""

    def _authenticate_by_email(self, email, password):
        if not email:
            return None
        for user in filter_users_by_email(email, prefer_verified=True, for_login=True):
            if owns_email(user, email) and self._check_password(user, password):
                return user
        return None
