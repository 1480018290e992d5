"""django-allauth's account adapter for the portal (the bottom layer: it reads only the User and allauth).

One address per account (ACCOUNT_CHANGE_EMAIL): the User's `email` and its one allauth `EmailAddress`
row stay the same address (portal.signals keeps them so for every way a user is created). An address
that any account already holds, as its User.email or as an EmailAddress row (verified or waiting for
verification), can be neither added nor signed up with again: sign-up then takes allauth's
enumeration-safe path (the owner is mailed, the visitor sees the same "check your mail" page), and the
e-mail page refuses it with one message that names no account.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from portal.models import User

EMAIL_MAX_LENGTH = 254  # RFC 5321's limit for a path, and User.email's column


def email_in_use(email: str, *, exclude_user: User | None = None) -> bool:
    """Whether another account holds `email` (case-insensitively), as its address or an EmailAddress row."""
    users = User.objects.filter(email__iexact=email)
    addresses = EmailAddress.objects.filter(email__iexact=email)
    if exclude_user is not None:
        users, addresses = users.exclude(pk=exclude_user.pk), addresses.exclude(user_id=exclude_user.pk)
    return users.exists() or addresses.exists()


def owns_email(user: User, email: str) -> bool:
    """Whether `email` signs `user` in: their own address, or an address of theirs that was verified."""
    return user.email.lower() == email.lower() or (
        EmailAddress.objects.filter(user_id=user.pk, email__iexact=email, verified=True).exists()
    )


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if len(email) > EMAIL_MAX_LENGTH:
            # allauth would otherwise cut it to the column's length: an account no one can sign in to.
            raise ValidationError(
                f"An e-mail address can have at most {EMAIL_MAX_LENGTH} characters (this one has {len(email)}).",
                code="email_too_long",
            )
        return email

    def new_user(self, request):
        user = super().new_user(request)
        user._addresses_set_by_allauth = True  # sign-up creates its own unverified row (portal.signals)
        return user
