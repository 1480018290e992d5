"""Reads for cohorts and the instructor reports. Every number is computed from the records on each
request (docs/reports.md); a report takes a fixed number of queries whatever the cohort's size."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404

from cohorts.models import Cohort, Membership
from content.models import CORE_COURSE, Module
from portal.models import User
from portal.roles import is_instructor
from progress.models import CardState, ReviewEvent
from progress.selectors import learner_zone, learners_progress, local_day_bounds
from quizzes.models import Attempt, Quiz

MANY_REVIEWS = 5  # "after many reviews": at least this many review events of a module's cards
FAILS_FOR_STUCK = 2  # failed the same module quiz this many times


def _uuid(value: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise Http404 from None


def cohorts_for_instructor(*, user: User) -> QuerySet[Cohort]:
    """The cohorts a user may report on: their own, or every cohort for a superuser."""
    return Cohort.objects.all() if user.is_superuser else Cohort.objects.filter(instructors=user)


def cohort_get_for_user(*, user: User, uuid: str) -> Cohort:
    """The cohort for its instructor (or a superuser). A learner is refused (403); another instructor's
    cohort, or no such cohort, is "not found" (404). Anonymous visitors never get here (login required)."""
    if not is_instructor(user):
        raise PermissionDenied
    cohort = cohorts_for_instructor(user=user).filter(uuid=_uuid(uuid)).first()
    if cohort is None:
        raise Http404
    return cohort


def cohort_get_by_code(*, code: str) -> Cohort | None:
    """The cohort whose current join code is `code` (case and spaces ignored), or None."""
    code = "".join(code.split()).upper()
    return Cohort.objects.filter(join_code=code).first() if code else None


def membership_get(*, cohort: Cohort, uuid: str) -> Membership:
    membership = Membership.objects.select_related("user").filter(cohort=cohort, uuid=_uuid(uuid)).first()
    if membership is None:
        raise Http404
    return membership


def membership_get_for_learner(*, user: User, uuid: str) -> Membership:
    """The learner's own membership, or 404."""
    membership = Membership.objects.select_related("cohort").filter(user=user, uuid=_uuid(uuid)).first()
    if membership is None:
        raise Http404
    return membership


def memberships_for_learner(*, user: User) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("cohort").order_by("cohort__name"))


def cohorts_with_activity(*, user: User) -> list[Cohort]:
    """The instructor's cohorts, each with `size` (active learners) and `last_activity` (the latest
    review or attempt of an active learner): one query."""
    active = {"user__cohort_memberships__cohort": OuterRef("pk"), "user__cohort_memberships__state": "active"}
    last_review = ReviewEvent.objects.filter(**active).order_by("-reviewed_at").values("reviewed_at")[:1]
    last_attempt = (
        Attempt.objects.filter(**active)
        .annotate(at=Coalesce("finished_at", "started_at"))
        .order_by("-at")
        .values("at")[:1]
    )
    rows = list(
        cohorts_for_instructor(user=user)
        .annotate(
            size=Count("memberships", filter=Q(memberships__state=Membership.State.ACTIVE)),
            last_review=Subquery(last_review),
            last_attempt=Subquery(last_attempt),
        )
        .order_by("name", "pk")
    )
    for cohort in rows:
        cohort.last_activity = max((t for t in (cohort.last_review, cohort.last_attempt) if t), default=None)
    return rows


@dataclass
class Cell:
    """One learner × module cell: mastery (%), best module-quiz score (%) and what they count from."""

    mastery: int
    best_quiz: int | None
    reviews: int
    fails: int  # the most failed attempts at one quiz of the module


@dataclass
class LearnerRow:
    """One learner of the overview. Their module numbers are lists in module order (`mastery`,
    `best_quiz`, `reviews`, `fails`): 500 learners × 16 modules are 8,000 cells, so a row holds four
    lists rather than an object per cell (`cells` makes them, for the one learner of their page)."""

    membership: Membership
    mastery: list[int]
    best_quiz: list[int | None]
    reviews: list[int]
    fails: list[int]
    last_activity: datetime | None
    exam_date: object
    readiness: int | None
    due_now: int
    inactive: bool = False
    stuck_modules: list[Module] = field(default_factory=list)
    at_risk: bool = False

    @property
    def cells(self) -> list[Cell]:
        return [Cell(*numbers) for numbers in zip(self.mastery, self.best_quiz, self.reviews, self.fails, strict=True)]

    @property
    def user(self) -> User:
        return self.membership.user

    @property
    def stuck(self) -> bool:
        return bool(self.stuck_modules)

    @property
    def flagged(self) -> bool:
        return self.inactive or self.stuck or self.at_risk


@dataclass
class Overview:
    cohort: Cohort
    modules: list[Module]
    rows: list[LearnerRow]
    averages: list[dict]
    pass_mark: Decimal | None
    now: datetime


def _quiz_numbers(user_ids: list[int]) -> tuple[dict, dict, dict]:
    """Per user and module: the best finished score of the module's quiz (a whole %) and the most fails
    at one quiz of it; per user: their latest attempt (started or finished). Two queries."""
    best: dict[int, dict[int, int]] = defaultdict(dict)
    fails: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        Attempt.objects.filter(
            user_id__in=user_ids,
            state=Attempt.State.FINISHED,
            quiz__kind=Quiz.Kind.MODULE,
            quiz__module__course__slug=CORE_COURSE,
        )
        .values_list("user_id", "quiz_id", "quiz__module_id")
        .annotate(best=Max("score"), fails=Count("pk", filter=Q(passed=False)))
        .order_by()
    )
    scores: dict[tuple[int, int], Decimal] = {}
    for user_id, _, module_id, score, failed in rows:
        key = (user_id, module_id)
        scores[key] = max(scores.get(key, score), score)
        fails[user_id][module_id] = max(fails[user_id].get(module_id, 0), failed)
    for (user_id, module_id), score in scores.items():
        best[user_id][module_id] = _percent(score)
    last = dict(
        Attempt.objects.filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(at=Max(Coalesce("finished_at", "started_at")))
        .order_by()
        .values_list("user_id", "at")
    )
    return best, fails, last


def _percent(score: Decimal | None) -> int | None:
    return None if score is None else round(score * 100)


def final_pass_mark() -> Decimal | None:
    quiz = Quiz.objects.filter(kind=Quiz.Kind.FINAL).order_by("pk").first()
    return quiz.pass_mark if quiz else None


# What the overview reads of each membership and its learner (the rest of their columns stay unread).
REPORT_MEMBERSHIP_FIELDS = ["uuid", "cohort_id", "user_id", "user__email", "user__exam_date", "user__time_zone"]


def cohort_overview(*, cohort: Cohort, now: datetime, only: Membership | None = None) -> Overview:
    """The learners × modules table of the cohort's active learners (or of `only`), with flags
    (docs/reports.md).

    Queries: the memberships with their users, the course's cards, the card states summed per
    learner and module, the card states of the learners with an exam date (readiness), the
    module-quiz attempts per module, the latest attempt per learner, the final exam's pass mark:
    seven, whatever the number of learners (`progress.selectors.learners_progress`). No review event
    is read: the card states hold what the overview counts of them.
    """
    if only is not None:
        memberships = [only]
    else:
        memberships = list(
            Membership.objects.filter(cohort=cohort, state=Membership.State.ACTIVE)
            .select_related("user")
            .only(*REPORT_MEMBERSHIP_FIELDS)
            .order_by("user__email")
        )
    users = [m.user for m in memberships]
    objectives, progress = learners_progress(users=users, now=now)
    modules = list({o.module_id: o.module for o in objectives}.values())
    best, fails, last_attempt = _quiz_numbers([u.pk for u in users])
    pass_mark = final_pass_mark()
    module_ids = [m.pk for m in modules]
    threshold = cohort.mastery_threshold
    rows = []
    for membership in memberships:
        user, numbers = membership.user, progress[membership.user_id]
        mastery = [numbers.mastery.get(m, 0) for m in module_ids]
        mine_best, mine_fails = best[user.pk], fails[user.pk]
        reviews = [numbers.reviews.get(m, 0) for m in module_ids]
        row_fails = [mine_fails.get(m, 0) for m in module_ids]
        last = max((t for t in (numbers.last_review, last_attempt.get(user.pk)) if t), default=None)
        row = LearnerRow(
            membership,
            mastery,
            [mine_best.get(m) for m in module_ids],
            reviews,
            row_fails,
            last,
            user.exam_date,
            numbers.readiness,
            numbers.due_now,
        )
        row.inactive = last is None or now - last >= timedelta(days=cohort.inactive_days)
        row.stuck_modules = [
            module
            for module, mastered, reviewed, failed in zip(modules, mastery, reviews, row_fails, strict=True)
            if failed >= FAILS_FOR_STUCK or (reviewed >= MANY_REVIEWS and mastered < threshold)
        ]
        row.at_risk = bool(user.exam_date and pass_mark is not None and row.readiness < pass_mark)
        rows.append(row)
    averages = []
    for i in range(len(modules)):
        masteries = [r.mastery[i] for r in rows]
        scores = [r.best_quiz[i] for r in rows if r.best_quiz[i] is not None]
        averages.append(
            {
                "mastery": round(sum(masteries) / len(masteries)) if masteries else None,
                "best_quiz": round(sum(scores) / len(scores)) if scores else None,
                "quiz_takers": len(scores),
            }
        )
    return Overview(cohort, modules, rows, averages, pass_mark, now)


# Sorting: ?sort=<column>&dir=asc|desc. Columns: learner, activity, exam, readiness, flags,
# mastery-<module code>, quiz-<module code>. Empty values sort last in both directions.
FIXED_SORTS = {
    "learner": lambda r: r.user.email.lower(),
    "activity": lambda r: r.last_activity,
    "exam": lambda r: r.exam_date,
    "readiness": lambda r: r.readiness,
    "flags": lambda r: r.inactive + r.stuck + r.at_risk,
}


def sort_columns(modules: list[Module]) -> list[str]:
    return [*FIXED_SORTS, *(f"mastery-{m.code}" for m in modules), *(f"quiz-{m.code}" for m in modules)]


def overview_sorted(*, overview: Overview, sort: str, direction: str) -> tuple[str, str]:
    """Sort the overview's rows in place; returns the sort and direction applied (unknown → learner, asc)."""
    codes = {m.code: i for i, m in enumerate(overview.modules)}
    kind, _, code = sort.partition("-")
    if sort in FIXED_SORTS:
        key = FIXED_SORTS[sort]
    elif kind == "mastery" and code in codes:
        key = lambda r: r.mastery[codes[code]]  # noqa: E731
    elif kind == "quiz" and code in codes:
        key = lambda r: r.best_quiz[codes[code]]  # noqa: E731
    else:
        sort, key = "learner", FIXED_SORTS["learner"]
    direction = direction if direction in ("asc", "desc") else "asc"
    present = [r for r in overview.rows if key(r) is not None]
    empty = [r for r in overview.rows if key(r) is None]
    present.sort(key=lambda r: r.user.email.lower())  # ties: by learner, whatever the direction
    present.sort(key=key, reverse=direction == "desc")
    overview.rows = present + empty
    return sort, direction


@dataclass
class LearnerReport:
    membership: Membership
    overview: Overview
    row: LearnerRow
    modules: list[dict]
    attempts: list[Attempt]
    overdue: list[CardState]
    due_today: list[CardState]
    activity: list[dict]
    activity_max: int


def learner_report(*, cohort: Cohort, membership: Membership, now: datetime) -> LearnerReport:
    """One learner of the cohort: their modules (mastery, best quiz, reviews), attempts, due and
    overdue cards, and their activity over the last 30 days (their days, in their time zone)."""
    user = membership.user
    overview = cohort_overview(cohort=cohort, now=now, only=membership)
    row = overview.rows[0]
    modules = [{"module": m, "cell": c} for m, c in zip(overview.modules, row.cells, strict=True)]
    attempts = list(Attempt.objects.filter(user=user).select_related("quiz").order_by("-started_at"))
    zone = learner_zone(user)
    today = now.astimezone(zone).date()
    first_day = today - timedelta(days=29)
    states = list(
        CardState.objects.filter(user=user, objective__module__course__slug=CORE_COURSE)
        .select_related("objective")
        .order_by("due")
    )
    _, end_of_today = local_day_bounds(user, today)
    overdue = [s for s in states if s.due <= now]
    due_today = [s for s in states if now < s.due < end_of_today]
    since = local_day_bounds(user, first_day)[0]
    counts: dict = defaultdict(lambda: {"reviews": 0, "attempts": 0})
    for row in (
        ReviewEvent.objects.filter(user=user, reviewed_at__gte=since)
        .annotate(day=TruncDate("reviewed_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["day"]]["reviews"] = row["n"]
    for attempt in attempts:
        if attempt.finished_at and attempt.finished_at >= since:
            counts[attempt.finished_at.astimezone(zone).date()]["attempts"] += 1
    activity = [{"day": first_day + timedelta(days=i), **counts[first_day + timedelta(days=i)]} for i in range(30)]
    return LearnerReport(
        membership=membership,
        overview=overview,
        row=row,
        modules=modules,
        attempts=attempts,
        overdue=overdue,
        due_today=due_today,
        activity=activity,
        activity_max=max((d["reviews"] for d in activity), default=0),
    )


def attempt_get_for_cohort(*, membership: Membership, uuid: str) -> Attempt:
    """A finished attempt of the cohort's learner (read-only review), or 404."""
    attempt = (
        Attempt.objects.select_related("quiz__module")
        .filter(uuid=_uuid(uuid), user_id=membership.user_id, state=Attempt.State.FINISHED)
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def cohort_require_instructor(*, user: User) -> None:
    """Instructor pages without a cohort (the list): learners are refused."""
    if not is_instructor(user):
        raise PermissionDenied


def attempt_slots(*, attempt: Attempt) -> list:
    return list(attempt.slots.select_related("objective").order_by("position"))


def cohort_learner_ids(*, cohort: Cohort) -> QuerySet:
    """The ids of the cohort's active learners (a subquery: reports filter by it in SQL)."""
    return Membership.objects.filter(cohort=cohort, state=Membership.State.ACTIVE).values("user_id")


def course_quizzes() -> list[Quiz]:
    """The quizzes a cohort report can analyse: the module quizzes and the final exam (not practice)."""
    return list(Quiz.objects.filter(owner=None).select_related("module").order_by("kind", "module__order"))
