"""A learner's own data: everything the portal holds about them, to download, and deleting the account.

What deletion does (docs/security.md, "A learner's own data"):
- deleted: the e-mail addresses (the account's and allauth's), name, password, settings (time zone,
  exam date, daily new cards), "mark as studied" marks, group memberships; every session ends and
  the account can never sign in again;
- kept anonymously, under a placeholder address that names no one: review events and card states,
  quiz attempts with their answers, cohort memberships. Item statistics and cohort averages are
  computed from those records, so they stay what they were; the learner's row in a cohort
  overview shows the placeholder address.
"""

import uuid

from allauth.account.models import EmailAddress
from django.db import transaction

from cohorts.models import Membership
from content.models import StudiedObjective
from portal.models import User
from progress.models import ReviewEvent
from quizzes.models import Attempt, AttemptQuestion

DELETED_DOMAIN = "deleted.invalid"


def _text(value) -> str | None:
    return None if value is None else str(value)


def learner_data(*, user: User) -> dict:
    """Everything about the learner, as JSON-ready tables (a fixed number of queries)."""
    return {
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "time_zone": user.time_zone,
            "daily_new_cards": user.daily_new_cards,
            "exam_date": user.exam_date.isoformat() if user.exam_date else None,
        },
        "studied": [
            {"objective": r["objective__code"], "studied_at": r["studied_at"].isoformat()}
            for r in StudiedObjective.objects.filter(user=user).values("objective__code", "studied_at")
        ],
        "reviews": [
            {
                **r,
                "credit": _text(r["credit"]),
                "reviewed_at": r["reviewed_at"].isoformat(),
            }
            for r in ReviewEvent.objects.filter(user=user)
            .order_by("reviewed_at", "pk")
            .values("objective__code", "source", "confidence", "credit", "rating", "duration_ms", "reviewed_at")
        ],
        "attempts": [
            {
                "attempt": str(r["uuid"]),
                "quiz": r["quiz__title"],
                "number": r["number"],
                "state": r["state"],
                "started_at": r["started_at"].isoformat(),
                "finished_at": r["finished_at"].isoformat() if r["finished_at"] else None,
                "score": _text(r["score"]),
                "passed": r["passed"],
            }
            for r in Attempt.objects.filter(user=user)
            .order_by("started_at", "pk")
            .values("uuid", "quiz__title", "number", "state", "started_at", "finished_at", "score", "passed")
        ],
        "answers": [
            {
                "attempt": str(r["attempt__uuid"]),
                "position": r["position"],
                "objective": r["objective__code"],
                "response": r["response"],
                "credit": _text(r["credit"]),
                "answered_at": r["answered_at"].isoformat() if r["answered_at"] else None,
            }
            for r in AttemptQuestion.objects.filter(attempt__user=user)
            .order_by("attempt__started_at", "position")
            .values("attempt__uuid", "position", "objective__code", "response", "credit", "answered_at")
        ],
        "cohorts": [
            {"cohort": r["cohort__name"], "state": r["state"], "joined_at": r["joined_at"].isoformat()}
            for r in Membership.objects.filter(user=user).values("cohort__name", "state", "joined_at")
        ],
    }


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the learner's personal data and keep their learning records anonymously (module docstring)."""
    EmailAddress.objects.filter(user=user).delete()
    StudiedObjective.objects.filter(user=user).delete()
    user.email = f"deleted-{uuid.uuid4().hex}@{DELETED_DOMAIN}"
    user.first_name = user.last_name = ""
    user.time_zone, user.exam_date, user.daily_new_cards = "UTC", None, 10
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    # Every session of the account ends: a session is valid only with the password hash it began with.
