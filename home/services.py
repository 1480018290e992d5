"""Site-wide writes."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cohorts.models import Cohort, Membership
from cohorts.services import cohort_create
from content.models import CORE_COURSE, Objective
from portal.models import User
from progress.services import review_record
from quizzes.grading import correct_response
from quizzes.models import Question, Quiz
from quizzes.services.attempts import attempt_answer, attempt_start, attempt_submit


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    is_staff: bool = False
    is_superuser: bool = False
    groups: tuple[str, ...] = ()


DEMO_ACCOUNTS = [
    DemoAccount("learner", "learner@example.com", "learner-demo-pass"),
    DemoAccount("instructor", "instructor@example.com", "instructor-demo-pass", is_staff=True, groups=("Instructors",)),
    DemoAccount("admin", "admin@example.com", "admin-demo-pass", is_staff=True, is_superuser=True),
]


@transaction.atomic
def demo_accounts_load() -> list[DemoAccount]:
    """Create the demo accounts, or reset them to their documented passwords and roles. Idempotent."""
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(email=account.email)
        user.is_staff, user.is_superuser = account.is_staff, account.is_superuser
        user.set_password(account.password)
        user.save()  # portal.signals gives a new account its address, verified
        EmailAddress.objects.filter(user=user, email__iexact=account.email).update(verified=True)  # signed up earlier
        user.groups.set(Group.objects.filter(name__in=account.groups))
    return DEMO_ACCOUNTS


DEMO_COHORT = "Demo cohort"
DEMO_INSTRUCTOR = "instructor@example.com"


@dataclass(frozen=True)
class DemoLearner:
    """A demo learner's history: `reviews` are (module, days ago, confidence 1–5) for each card of the
    module; `quizzes` are (module, days ago, share of answers right); `exam_in` days from today."""

    email: str
    reviews: tuple[tuple[str, int, int], ...] = ()
    quizzes: tuple[tuple[str, int, float], ...] = ()
    exam_in: int | None = None


DEMO_LEARNERS = [
    DemoLearner(
        "steady.sam@example.com",
        reviews=tuple((m, d, 4) for d in (20, 14, 9, 5, 2) for m in ("5.1", "5.2", "5.3")),
        quizzes=(("5.1", 8, 0.9), ("5.2", 3, 0.8)),
        exam_in=21,
    ),
    DemoLearner(
        "crammer.cleo@example.com",
        reviews=tuple((m, 1, 3) for m in ("5.1", "5.2", "5.3", "5.4", "5.5", "5.6")),
        exam_in=4,
    ),
    DemoLearner(
        "stuck.stella@example.com",
        reviews=(("5.3", 30, 1), ("5.3", 25, 1), ("5.3", 20, 2), ("5.1", 2, 4)),
        quizzes=(("5.3", 12, 0.2), ("5.3", 4, 0.4)),
    ),
    DemoLearner("idle.ivan@example.com", reviews=(("5.1", 19, 3), ("5.2", 18, 2)), quizzes=(("5.1", 17, 0.6),)),
    DemoLearner("new.nadia@example.com"),
    DemoLearner(
        "strong.omar@example.com",
        reviews=tuple((f"5.{n}", d, 5) for d in (25, 12, 4) for n in range(1, 17)),
        quizzes=(("5.1", 10, 1.0), ("5.4", 6, 0.9), ("5.7", 2, 1.0)),
        exam_in=10,
    ),
    DemoLearner("late.lena@example.com", reviews=(("5.1", 3, 2), ("5.2", 3, 3)), exam_in=2),
    DemoLearner("quiz.quentin@example.com", quizzes=(("5.1", 6, 0.7), ("5.2", 5, 0.5), ("5.5", 1, 0.8))),
]


def _demo_response(snapshot: dict, right: bool) -> dict | None:
    """A right answer, or a wrong one where the kind has an obvious one (else None: left unanswered)."""
    if right:
        return correct_response(snapshot)
    if snapshot["kind"] in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
        return {"choice": min(snapshot["choices"], key=lambda c: Decimal(c["fraction"]))["key"]}
    return None


def _demo_history(user: User, learner: DemoLearner, now: datetime, rng: random.Random) -> None:
    cards: dict[str, list] = {}
    for objective in Objective.objects.filter(module__course__slug=CORE_COURSE).select_related("module"):
        cards.setdefault(objective.module.code, []).append(objective)
    for code, days_ago, confidence in sorted(learner.reviews, key=lambda r: -r[1]):
        for i, objective in enumerate(cards.get(code, [])):
            at = now - timedelta(days=days_ago, minutes=30 - i)
            review_record(user=user, objective=objective, source="flashcard", confidence=confidence, now=at)
    quizzes = {q.module.code: q for q in Quiz.objects.filter(kind=Quiz.Kind.MODULE).select_related("module")}
    for code, days_ago, share in sorted(learner.quizzes, key=lambda q: -q[1]):
        if code not in quizzes:
            continue
        at = now - timedelta(days=days_ago)
        attempt = attempt_start(user=user, quiz=quizzes[code], now=at, rng=rng)
        slots = list(attempt.slots.order_by("position"))
        right = round(share * len(slots))
        for n, slot in enumerate(slots):
            response = _demo_response(slot.snapshot, n < right)
            if response is not None:
                attempt_answer(attempt=attempt, position=slot.position, response=response, now=at)
        attempt_submit(attempt=attempt, now=at + timedelta(minutes=12))


def demo_cohort_load(*, now: datetime | None = None) -> dict | None:
    """The demo instructor's "Demo cohort": eight learners with varied histories made through the
    real services (reviews and quiz attempts in the past), and the demo learner as a member.
    Idempotent: a learner who already has a history gets no more. None when the course is not loaded."""
    if not Objective.objects.filter(module__course__slug=CORE_COURSE).exists():
        return None
    now = now or timezone.now()
    instructor = User.objects.get(email=DEMO_INSTRUCTOR)
    cohort = Cohort.objects.filter(name=DEMO_COHORT, instructors=instructor).first()
    if cohort is None:
        cohort = cohort_create(name=DEMO_COHORT, instructor=instructor)
    rng = random.Random(20240501)  # noqa: S311 (demo data, not security)
    created = 0
    for learner in DEMO_LEARNERS:
        user, made = User.objects.get_or_create(email=learner.email)
        if made:
            user.set_unusable_password()
        user.exam_date = (now + timedelta(days=learner.exam_in)).date() if learner.exam_in is not None else None
        user.save()
        if (learner.reviews or learner.quizzes) and not user.review_events.exists() and not user.attempts.exists():
            _demo_history(user, learner, now, rng)
            created += 1
    members = [*(User.objects.get(email=d.email) for d in DEMO_LEARNERS), User.objects.get(email="learner@example.com")]
    for user in members:
        Membership.objects.get_or_create(
            cohort=cohort, user=user, defaults={"joined_at": now - timedelta(days=30), "changed_at": now}
        )
    return {"cohort": cohort, "learners": len(members), "histories_created": created}
