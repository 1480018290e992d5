"""Reads of learner progress: the study queue and the dashboard. Scoped to one learner."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Least

from content.models import CORE_COURSE, Course, Module, Objective, StudiedObjective
from portal.http import reverser
from portal.models import User
from progress import planning, scheduling
from progress.models import CardState, ReviewEvent


def learner_zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day_bounds(user: User, day: date) -> tuple[datetime, datetime]:
    """The learner's day `day`, midnight to midnight in their time zone."""
    zone = learner_zone(user)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def local_today(user: User, now: datetime) -> date:
    return now.astimezone(learner_zone(user)).date()


class CardNumbers(NamedTuple):
    """The columns of a card state that the dashboard and the study queue read: built from `values_list`,
    so a page reads a learner's cards without building a model instance for each."""

    objective_id: int
    due: datetime
    stability: float
    last_review: datetime
    first_review: datetime


def card_numbers(states: QuerySet[CardState], *, fsrs: bool = False) -> tuple[dict[int, CardNumbers], dict[int, dict]]:
    """The card states of `states` as numbers (objective id → CardNumbers), and with `fsrs` their FSRS cards
    as stored (objective id → the card's dict, for the exam plan's `study_plan`), in one query: a page with
    an exam plan reads each state once. Without `fsrs` the cards' JSON is not read."""
    numbers, cards = {}, {}
    columns = ["objective_id", "due", "stability", "last_review", "first_review"]
    for row in states.values_list(*columns, *(["card"] if fsrs else [])):
        numbers[row[0]] = CardNumbers(*row[:5])
        if fsrs:
            cards[row[0]] = row[5]
    return numbers, cards


def cards(*, module: Module | None = None, course: str = CORE_COURSE) -> QuerySet[Objective]:
    """The flashcards: every objective of a course (5.1–5.16 by default), or of one module, in course order."""
    rows = Objective.objects.select_related("module")
    rows = rows.filter(module=module) if module is not None else rows.filter(module__course__slug=course)
    return rows.order_by("module__order", "order")


def open_confident_mistakes(*, user: User, states: dict[int, CardState | CardNumbers]) -> dict[int, datetime]:
    """Objectives whose latest review is a confident mistake (a quiz answer given "very sure", C3, that
    was wrong), with when it was made: nothing has reviewed them since. One query."""
    rows = ReviewEvent.objects.filter(
        user=user, source=ReviewEvent.Source.QUIZ, certainty=3, credit__lte=0, undone_by__isnull=True
    ).values_list("objective_id", "reviewed_at")
    latest: dict[int, datetime] = {}
    for objective_id, at in rows:
        latest[objective_id] = max(at, latest.get(objective_id, at))
    return {o: at for o, at in latest.items() if o in states and states[o].last_review <= at}


CALIBRATION_ANSWERS = 50  # the dashboard's calibration covers the learner's last 50 answers with a certainty


def calibration(*, user: User) -> list[dict]:
    """For each certainty level, the learner's last answers at it and the share right (one query)."""
    rows = list(
        ReviewEvent.objects.filter(user=user, source=ReviewEvent.Source.QUIZ, certainty__isnull=False)
        .order_by("-reviewed_at", "-pk")
        .values_list("certainty", "credit")[:CALIBRATION_ANSWERS]
    )
    levels = []
    for level, (low, high) in scheduling.CBM_BEST_RANGE.items():
        credits = [float(c) for cert, c in rows if cert == level]
        share = round(100 * sum(credits) / len(credits)) if credits else None
        levels.append({"certainty": level, "label": scheduling.CERTAINTY_LABELS[level], "answers": len(credits),
                       "percent": share, "low": round(100 * low), "high": round(100 * high),
                       # the chart: a 250-unit track from x=40, one row of 32 units per level
                       "y": 32 * (level - 1), "band_x": 40 + round(250 * low), "band_w": round(250 * (high - low)),
                       "bar_w": round(2.5 * share) if share is not None else None})  # fmt: skip
    return levels if rows else []


@dataclass
class StudyQueue:
    card: Objective | None
    state: CardState | None
    due_count: int
    new_left: int
    next_due: datetime | None
    unseen: int = 0  # cards of the session never studied (beyond today's limit too)
    planned_left: int = 0  # cards of the session the exam plan still has for today
    plan_active: bool = False


def study_queue(
    *, user: User, now: datetime, module: Module | None = None, course: str = CORE_COURSE, extra_new: int = 0
) -> StudyQueue:
    """The next card of a course (or one of its modules): with an exam plan (docs/spaced-repetition.md),
    today's planned cards first, in the plan's order; then due cards (most overdue first), learning
    cards as soon as they are due again, then new cards up to the daily limit of that course, plus
    `extra_new` when the learner asked to study more today. The plan is derived here from the card
    states, so it follows every review."""
    if module is not None:
        course = module.course.slug
    order = list(cards(module=module, course=course).values_list("pk", flat=True))
    # The course's card states as numbers: the session's are among them, and so are the cards introduced today.
    # (with an exam plan, their FSRS cards too: the plan reads them from here, not again)
    planning_now = course == CORE_COURSE and plan_active(user=user, now=now)
    course_states, fsrs_cards = card_numbers(
        CardState.objects.filter(user=user, objective__module__course__slug=course), fsrs=planning_now
    )
    states = {pk: course_states[pk] for pk in order if pk in course_states}
    today_cards = None
    if planning_now:
        course_order = order if module is None else list(cards(course=course).values_list("pk", flat=True))
        stored = _stored(course_states, fsrs_cards)
        today_cards = plan_today(user=user, now=now, objective_ids=course_order, stored=stored)
    in_session = set(order)
    planned = [pk for pk in today_cards if pk in in_session] if today_cards is not None else []
    mistakes = open_confident_mistakes(user=user, states=states)  # confident mistakes first among the due
    due = sorted(
        (s for s in states.values() if s.due <= now),
        key=lambda s: (s.objective_id not in mistakes, s.due, s.objective_id),
    )
    start, end = local_day_bounds(user, local_today(user, now))
    introduced = sum(1 for s in course_states.values() if start <= s.first_review < end)
    new_left = max(0, user.daily_new_cards + extra_new - introduced)
    unseen = [pk for pk in order if pk not in states]
    next_due = min((s.due for s in states.values() if s.due > now), default=None)
    new_now = min(new_left, len(unseen))
    extra = {"planned_left": len(planned), "plan_active": today_cards is not None}
    # Only the card shown is read whole (with its module; its state with the card's JSON, for the preview).
    shown = planned[0] if planned else due[0].objective_id if due else None
    if shown in states:
        state = CardState.objects.select_related("objective__module").get(user=user, objective_id=shown)
        return StudyQueue(state.objective, state, len(due), new_now, next_due, len(unseen), **extra)
    if shown is None and new_now:
        shown = unseen[0]
    if shown is not None:
        card = Objective.objects.select_related("module").get(pk=shown)
        return StudyQueue(card, None, len(due), new_now, next_due, len(unseen), **extra)
    return StudyQueue(None, None, 0, 0, next_due, len(unseen), **extra)


def recall_at(*, objectives: list, states: dict[int, CardState | CardNumbers], at: datetime) -> dict[int, float]:
    """Each objective's recall probability at `at` (FSRS retrievability from the state's stability and last
    review; 0 for a card never reviewed)."""
    recall = {}
    for o in objectives:
        state = states.get(o.pk)
        recall[o.pk] = scheduling.recall(state.stability, state.last_review, at) if state else 0.0
    return recall


# A card is mastered once the scheduler expects it to be recalled 90% of the time three weeks after its
# last review (FSRS stability ≥ 21 days, what Anki calls a mature card); below that, in proportion.
MASTERY_STABILITY_DAYS = 21


def card_mastery(*, objectives: list, states: dict[int, CardState | CardNumbers]) -> dict[int, float]:
    """Each objective's mastery, 0 to 1 (docs/spaced-repetition.md): its FSRS stability over 21 days,
    at most 1; 0 for a card never reviewed. A failed review or a wrong quiz answer lowers stability,
    so it lowers mastery; recall probability a moment after a review (always about 1) plays no part."""
    return {
        o.pk: min(1.0, states[o.pk].stability / MASTERY_STABILITY_DAYS) if o.pk in states else 0.0 for o in objectives
    }


def module_mastery(*, objectives: list, scores: dict[int, float]) -> dict[int, int]:
    """Mastery of each module, the one definition (docs/spaced-repetition.md): the average of its
    objectives' mastery (`card_mastery`), as a whole percentage."""
    totals: dict[int, list[float]] = defaultdict(list)
    for o in objectives:
        totals[o.module_id].append(scores[o.pk])
    return {module_id: round(100 * sum(values) / len(values)) for module_id, values in totals.items()}


def exam_moment(*, user: User, now: datetime) -> datetime:
    """When readiness is measured: 09:00 on the exam date in the learner's time zone (now, if that has passed)."""
    return max(datetime.combine(user.exam_date, time(9), tzinfo=learner_zone(user)), now)


def readiness_percent(*, objectives: list[Objective], at_exam: dict[int, float]) -> int:
    """Readiness as a percentage: the expected share of the course's objectives recalled at the exam."""
    return round(100 * sum(at_exam.values()) / len(objectives)) if objectives else 0


def plan_active(*, user: User, now: datetime) -> bool:
    """An exam plan runs while the exam date is after the learner's today; then ordinary scheduling."""
    return bool(user.exam_date) and user.exam_date > local_today(user, now)


def plan_budget_cards(*, user: User) -> int:
    """The learner's daily budget in cards: as set, or minutes at their median review duration (one
    query, over their last 100 timed flashcard reviews; planning.DEFAULT_SECONDS_PER_CARD before any)."""
    if user.budget_unit == User.BudgetUnit.CARDS:
        return user.daily_budget
    durations = ReviewEvent.objects.filter(
        user=user, source=ReviewEvent.Source.FLASHCARD, duration_ms__isnull=False, undone_by__isnull=True
    ).order_by("-reviewed_at")
    return planning.cards_for_minutes(user.daily_budget, list(durations.values_list("duration_ms", flat=True)[:100]))


def study_plan(
    *, user: User, now: datetime, objective_ids: list[int], stored: dict[int, tuple[dict, datetime]] | None = None
) -> planning.Plan | None:
    """The exam plan for the cards `objective_ids` (the core course's), or None when no plan runs (no exam
    date, or it is today or past). The cards' FSRS states and last reviews are `stored` (objective id →
    (card dict, last review)) when the caller has read them with its own card states (`card_numbers`),
    else one query reads them (as stored, no model instances); one more query reads the durations of a
    budget in minutes."""
    if not plan_active(user=user, now=now):
        return None
    return planning.exam_plan(**_plan_arguments(user=user, now=now, objective_ids=objective_ids, stored=stored))


def plan_today(
    *, user: User, now: datetime, objective_ids: list[int], stored: dict[int, tuple[dict, datetime]] | None = None
) -> list[int] | None:
    """`study_plan(…).today` (the same arguments and queries), or None when no plan runs: the study queue
    needs only today's cards, so neither the days after today nor the search for the budget that would
    meet the target (only the dashboard shows it) are simulated (`planning.planned_today`)."""
    if not plan_active(user=user, now=now):
        return None
    return planning.planned_today(**_plan_arguments(user=user, now=now, objective_ids=objective_ids, stored=stored))


def _plan_arguments(
    *, user: User, now: datetime, objective_ids: list[int], stored: dict[int, tuple[dict, datetime]] | None
) -> dict:
    today = local_today(user, now)
    start, _ = local_day_bounds(user, today)
    if stored is None:
        rows = CardState.objects.filter(user=user, objective__in=objective_ids).values_list(
            "objective_id", "card", "last_review"
        )
        stored = {pk: (card, last_review) for pk, card, last_review in rows}
    cards_now: dict[int, dict | None] = dict.fromkeys(objective_ids)
    reviewed_today = set()
    for pk in objective_ids:
        if pk in stored:
            cards_now[pk], last_review = stored[pk]
            if last_review >= start:
                reviewed_today.add(pk)
    return {
        "cards": cards_now,
        "now": now,
        "exam_at": exam_moment(user=user, now=now),
        "today": today,
        "exam_day": user.exam_date,
        "budget": plan_budget_cards(user=user),
        "target": user.recall_target / 100,
        "reviewed_today": reviewed_today,
    }


def _stored(numbers: dict[int, CardNumbers], fsrs_cards: dict[int, dict]) -> dict[int, tuple[dict, datetime]]:
    """`study_plan`'s `stored` from `card_numbers(…, fsrs=True)`."""
    return {pk: (card, numbers[pk].last_review) for pk, card in fsrs_cards.items()}


PLAN_CHART_WIDTH, PLAN_CHART_HEIGHT = 300, 80  # the daily-load chart's SVG box, bars drawn from y = 80 up


def plan_summary(*, plan: planning.Plan, objectives: list[Objective], modules: dict[int, dict]) -> dict:
    """The plan as the dashboard shows it: the two predictions, today's cards, each day's load (with the
    chart's geometry) and the modules with the lowest predicted recall on exam day."""
    by_pk = {o.pk: o for o in objectives}
    n = len(objectives) or 1
    most = max((len(d.cards) for d in plan.days), default=0)
    peak = most or 1  # the chart's scale
    step = PLAN_CHART_WIDTH / max(1, len(plan.days))
    days = [
        {"day": d.day, "count": len(d.cards), "x": round(i * step, 1), "width": round(max(1.0, step * 0.8), 1),
         "height": round(PLAN_CHART_HEIGHT * len(d.cards) / peak, 1),
         "y": round(PLAN_CHART_HEIGHT - PLAN_CHART_HEIGHT * len(d.cards) / peak, 1)}
        for i, d in enumerate(plan.days)
    ]  # fmt: skip
    per_module: dict[int, list[float]] = defaultdict(list)
    for o in objectives:
        per_module[o.module_id].append(plan.predicted[o.pk])
    lowest = sorted(per_module, key=lambda m: (sum(per_module[m]) / len(per_module[m]), modules[m]["module"].order))
    without = round(100 * sum(plan.without.values()) / n)
    with_plan = round(100 * sum(plan.predicted.values()) / n)
    return {
        "target": round(100 * plan.target),
        "budget": plan.budget,
        "meets": plan.meets_target,
        "needed_budget": plan.needed_budget,
        "without": without,
        "with_plan": with_plan,
        "without_w": round(2.3 * without),
        "with_w": round(2.3 * with_plan),
        "lowest_percent": round(100 * min(plan.predicted.values(), default=0)),
        "meeting": sum(1 for r in plan.predicted.values() if r >= plan.target),
        "total": len(objectives),
        "reviews": plan.reviews,
        "today": [by_pk[pk] for pk in plan.today],
        "days": days,
        "peak": most,
        "beyond_horizon": plan.beyond_horizon,
        "horizon_days": planning.MAX_PLAN_DAYS,
        "lowest_modules": [
            {
                "module": modules[m]["module"],
                "study_url": modules[m]["study_url"],
                "percent": round(100 * sum(per_module[m]) / len(per_module[m])),
            }
            for m in lowest[:3]
        ],
    }


@dataclass
class LearnerProgress:
    """One learner's numbers for the instructor reports, from the same definitions as the dashboard."""

    mastery: dict[int, int]  # module id → mastery %
    reviews: dict[int, int]  # module id → review events of the module's cards (any source)
    last_review: datetime | None
    readiness: int | None  # % (None without an exam date)
    due_now: int


class EpochSeconds(Func):
    """A datetime as seconds since 1970, a float. Django reads a PostgreSQL timestamp through its own
    time zone loader at about 10 µs a value, so a report of thousands of rows reads floats instead and
    makes datetimes only of the few it keeps (`datetime.fromtimestamp`: exact to the microsecond on
    PostgreSQL, to about 50 µs on SQLite)."""

    output_field = FloatField()
    convert_value = staticmethod(Func._convert_value_noop)  # both databases return a float already

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="date_part('epoch', %(expressions)s)", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = "((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        return self.as_sql(compiler, connection, template=template, **extra)


def _moment(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def learners_progress(*, users: list[User], now: datetime) -> tuple[list[Objective], dict[int, LearnerProgress]]:
    """The core course's cards and, for each of `users`, their mastery per module, reviews per module,
    last review, readiness and cards due now: three queries whatever the number of learners.

    Everything comes from the card states (one row per learner and card, derived from the review
    events by `progress.services`), never from the review events themselves: a state's `reps` is the
    number of its events that count (undone ratings and undos left out), its `last_review` the latest
    of them. Per learner and module, SQL adds up the cards' mastery (`card_mastery`: stability over 21
    days, at most 1), their reps and their cards due now, and takes their latest review: one row per
    learner and module studied. Readiness needs each card's recall at the learner's exam moment, so the
    core cards of the learners with an exam date are read one by one, as numbers, in course order (the
    dashboard's order of addition, so the same percentage to the last digit)."""
    objectives = list(cards())
    ids = [u.pk for u in users]
    size: dict[int, int] = defaultdict(int)  # module id → its objectives (the core course's modules)
    for o in objectives:
        size[o.module_id] += 1
    masteries: dict[int, dict[int, float]] = defaultdict(dict)
    reviews: dict[int, dict[int, int]] = defaultdict(dict)
    due: dict[int, int] = defaultdict(int)
    last: dict[int, float] = {}
    rows = (
        CardState.objects.filter(user_id__in=ids)
        .values_list("user_id", "objective__module_id")
        .annotate(
            mastery=Sum(Least(F("stability") / Value(float(MASTERY_STABILITY_DAYS)), Value(1.0))),
            reps=Sum("reps"),
            due=Count("pk", filter=Q(due__lte=now)),
            last=EpochSeconds(Max("last_review")),
        )
        .order_by()
    )
    for user_id, module_id, mastery, reps, due_now, latest in rows:
        reviews[user_id][module_id] = reps
        last[user_id] = max(last.get(user_id, latest), latest)
        if module_id in size:
            masteries[user_id][module_id] = mastery
            due[user_id] += due_now
    recall = _recall_at_exam(users=users, objectives=objectives, now=now)
    result = {}
    for user in users:
        mine = masteries[user.pk]
        at_exam = recall.get(user.pk)
        result[user.pk] = LearnerProgress(
            mastery={m: round(100 * mine.get(m, 0.0) / n) for m, n in size.items()},
            reviews=reviews[user.pk],
            last_review=_moment(last.get(user.pk)),
            readiness=None if at_exam is None else readiness_percent(objectives=objectives, at_exam=at_exam),
            due_now=due[user.pk],
        )
    return objectives, result


def _recall_at_exam(*, users: list[User], objectives: list[Objective], now: datetime) -> dict[int, dict[int, float]]:
    """For each of `users` with an exam date, their core cards' recall at their exam moment
    (`exam_moment`), card by card in course order (`recall_at`'s numbers, for `readiness_percent`,
    which adds them in that order as the dashboard does): one query (the cards' stability and last
    review as numbers), then FSRS's retrievability formula per card (`scheduling.recall_after`, without
    building an FSRS card). A card never studied is left out (its recall is 0)."""
    moments = {u.pk: exam_moment(user=u, now=now) for u in users if u.exam_date}
    found: dict[int, dict[int, float]] = {pk: {} for pk in moments}
    rows = CardState.objects.filter(
        user_id__in=[u.pk for u in users], user__exam_date__isnull=False, objective__in=[o.pk for o in objectives]
    ).values_list("user_id", "objective_id", "stability", EpochSeconds("last_review"))
    for user_id, objective_id, stability, seconds in rows:
        if user_id in found:  # else its exam date was set after `users` were read: not in this report
            days = (moments[user_id] - datetime.fromtimestamp(seconds, UTC)).days
            found[user_id][objective_id] = scheduling.recall_after(stability, days)
    order = [o.pk for o in objectives]
    return {pk: {o: mine[o] for o in order if o in mine} for pk, mine in found.items()}


@dataclass(slots=True)
class DashboardCard:
    """An objective as the dashboard reads it: its columns and its module (one of twenty instances), not
    an Objective with its module and course built for each of the library's objectives."""

    pk: int
    module_id: int
    code: str
    prompt: str
    order: int
    studied: bool
    module: Module
    url: str  # its note's page (`reverser`: one `reverse` for all of them)
    mastery_percent: int | None = None  # the weakest objectives only
    stability_days: float | None = None

    def get_absolute_url(self) -> str:
        return self.url


def _module_row(module: Module, module_url, study_url) -> dict:
    """A module's row of the dashboard's tables, its links built by `reverser`s (one `reverse` a table)."""
    return {"module": module, "objectives": 0, "studied": 0, "url": module_url(module.code),
            "study_url": study_url(module.code)}  # fmt: skip


def dashboard(*, user: User, now: datetime) -> dict:
    """Everything on the learner's dashboard, in a fixed number of queries whatever their history: the
    certification course's numbers, each supplementary course's modules apart, and the list of courses
    with their `objective_count` and the learner's `studied_count` (counted from the cards read here, not
    by a query of their own: compiling its aggregates cost 2 ms)."""
    courses = list(Course.objects.all())
    course_of = {c.pk: c for c in courses}
    module_of = {m.pk: m for m in Module.objects.all()}
    for module in module_of.values():
        module.course = course_of[module.course_id]
    objective_url = reverser("content:objective")
    module_url, study_url = reverser("content:module"), reverser("progress:study-module")
    everything = [
        DashboardCard(*row, module=module_of[row[1]], url=objective_url(row[2]))
        for row in Objective.objects.order_by("module__course__order", "module__order", "order").values_list(
            "pk",
            "module_id",
            "code",
            "prompt",
            "order",
            Exists(StudiedObjective.objects.filter(user=user, objective=OuterRef("pk"))),
        )
    ]
    objectives = [o for o in everything if o.module.course.slug == CORE_COURSE]
    for course in courses:
        course.objective_count = course.studied_count = 0
    for o in everything:
        o.module.course.objective_count += 1
        o.module.course.studied_count += o.studied
    planning_now = plan_active(user=user, now=now)
    states, fsrs_cards = card_numbers(CardState.objects.filter(user=user), fsrs=planning_now)
    studied = {o.pk for o in everything if o.studied}
    zone = learner_zone(user)
    today = local_today(user, now)
    _, end_of_today = local_day_bounds(user, today)

    scores = card_mastery(objectives=objectives, states=states)
    mastery = module_mastery(objectives=objectives, scores=scores)
    modules: dict[int, dict] = {}
    for o in objectives:
        if o.module_id not in modules:
            modules[o.module_id] = _module_row(o.module, module_url, study_url)
        row = modules[o.module_id]
        row["objectives"] += 1
        row["studied"] += o.pk in studied
    for module_id, row in modules.items():
        row["mastery"] = mastery[module_id]

    core_states = [states[o.pk] for o in objectives if o.pk in states]
    start_of_today = local_day_bounds(user, today)[0]
    introduced = sum(1 for s in core_states if start_of_today <= s.first_review < end_of_today)
    new_today = min(max(0, user.daily_new_cards - introduced), len(objectives) - len(core_states))
    forecast = []
    for offset in range(7):
        start, end = local_day_bounds(user, today + timedelta(days=offset))
        count = sum(1 for s in core_states if (s.due < end if offset == 0 else start <= s.due < end))
        forecast.append({"day": today + timedelta(days=offset), "count": count})

    days = {d.date() for d in ReviewEvent.objects.filter(user=user).datetimes("reviewed_at", "day", tzinfo=zone)}
    streak, day = 0, today if today in days else today - timedelta(days=1)
    while day in days:
        streak, day = streak + 1, day - timedelta(days=1)

    mistakes = open_confident_mistakes(user=user, states=states)
    by_pk = {o.pk: o for o in everything}
    confident_mistakes = [by_pk[pk] for pk, _ in sorted(mistakes.items(), key=lambda kv: kv[1], reverse=True)]

    reviewed = [o for o in objectives if o.pk in states]
    weakest = sorted(reviewed, key=lambda o: (scores[o.pk], o.module.order, o.order))[:5]
    for o in weakest:
        o.mastery_percent = round(100 * scores[o.pk])
        o.stability_days = states[o.pk].stability

    readiness = None
    if user.exam_date:
        at_exam = recall_at(objectives=objectives, states=states, at=exam_moment(user=user, now=now))
        expected = sum(at_exam.values())
        gains = defaultdict(float)
        for o in objectives:
            gains[o.module_id] += 1 - at_exam[o.pk]
        readiness = {
            "exam_date": user.exam_date,
            "expected": round(expected),
            "total": len(objectives),
            "percent": readiness_percent(objectives=objectives, at_exam=at_exam),
            "gain_modules": [modules[m] for m, _ in sorted(gains.items(), key=lambda kv: -kv[1])[:3]],  # their rows
        }

    plan = None
    if planning_now:
        ids = [o.pk for o in objectives]
        plan = study_plan(user=user, now=now, objective_ids=ids, stored=_stored(states, fsrs_cards))
    exam_plan = plan_summary(plan=plan, objectives=objectives, modules=modules) if plan else None
    if exam_plan and plan.needed_budget and user.budget_unit == User.BudgetUnit.MINUTES:
        # The budget that would meet the target in the learner's own unit, at the pace their budget was
        # converted with (minutes a card = their minutes ÷ the cards those make).
        exam_plan["needed_minutes"] = -(-plan.needed_budget * user.daily_budget // plan.budget)
    ask_outcome = bool(user.exam_date) and user.exam_date < today and not user.exam_outcome

    supplementary: dict[int, dict] = {}
    others = [o for o in everything if o.module.course.slug != CORE_COURSE]
    other_mastery = module_mastery(objectives=others, scores=card_mastery(objectives=others, states=states))
    for o in others:
        course = supplementary.setdefault(o.module.course_id, {"course": o.module.course, "modules": {}, "seen": 0})
        if o.module_id not in course["modules"]:
            course["modules"][o.module_id] = _module_row(o.module, module_url, study_url)
        row = course["modules"][o.module_id]
        row["objectives"] += 1
        row["studied"] += o.pk in studied
        row["mastery"] = other_mastery[o.module_id]
        course["seen"] += o.pk in states
    for course in supplementary.values():
        course["modules"] = list(course["modules"].values())
        course["total"] = sum(row["objectives"] for row in course["modules"])

    return {
        "courses": courses,
        "modules": list(modules.values()),
        "supplementary": list(supplementary.values()),
        "confident_mistakes": confident_mistakes,
        "calibration": calibration(user=user),
        "due_today": sum(1 for s in core_states if s.due < end_of_today),
        "due_now": sum(1 for s in core_states if s.due <= now),
        "new_today": new_today,
        "forecast": forecast,
        "streak": streak,
        "weakest": weakest,
        "readiness": readiness,
        "exam_plan": exam_plan,
        "ask_exam_outcome": ask_outcome,
        "cards_total": len(objectives),
        "cards_seen": len(core_states),
    }
