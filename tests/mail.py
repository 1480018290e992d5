"""Reading the portal's mails in tests (the locmem backend: django.core.mail.outbox, also for the live server)."""

import re

from django.core import mail

CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)


def verification_code(to: str) -> str:
    """The code of the last verification mail sent to `to` (sign-up: typed on /accounts/confirm-email/)."""
    for message in reversed(mail.outbox):
        if to in message.to and (match := CODE.search(message.body)):
            return match.group(1)
    raise AssertionError(f"no verification code was mailed to {to}: {[m.subject for m in mail.outbox]}")
