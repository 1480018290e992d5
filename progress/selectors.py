"""Reads of learner progress: the study queue and the dashboard. Scoped to one learner."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import QuerySet

from content.models import Module, Objective, StudiedObjective
from portal.models import User
from progress import scheduling
from progress.models import CardState, ReviewEvent

CORE_COURSE = "process-and-procedures"


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


def cards(*, module: Module | None = None) -> QuerySet[Objective]:
    """The flashcards: every objective of 5.1–5.16 (or of one module), in course order."""
    rows = Objective.objects.filter(module__course__slug=CORE_COURSE).select_related("module")
    if module is not None:
        rows = rows.filter(module=module)
    return rows.order_by("module__order", "order")


@dataclass
class StudyQueue:
    card: Objective | None
    state: CardState | None
    due_count: int
    new_left: int
    next_due: datetime | None


def study_queue(*, user: User, now: datetime, module: Module | None = None) -> StudyQueue:
    """The next card: due cards first (most overdue first), then new cards up to the daily limit."""
    objectives = list(cards(module=module))
    states = {s.objective_id: s for s in CardState.objects.filter(user=user, objective__in=[o.pk for o in objectives])}
    by_id = {o.pk: o for o in objectives}
    due = sorted((s for s in states.values() if s.due <= now), key=lambda s: (s.due, s.objective_id))
    start, end = local_day_bounds(user, local_today(user, now))
    introduced = CardState.objects.filter(
        user=user, first_review__gte=start, first_review__lt=end, objective__module__course__slug=CORE_COURSE
    ).count()
    new_left = max(0, user.daily_new_cards - introduced)
    unseen = [o for o in objectives if o.pk not in states]
    next_due = min((s.due for s in states.values() if s.due > now), default=None)
    if due:
        return StudyQueue(by_id[due[0].objective_id], due[0], len(due), min(new_left, len(unseen)), next_due)
    if new_left and unseen:
        return StudyQueue(unseen[0], None, 0, min(new_left, len(unseen)), next_due)
    return StudyQueue(None, None, 0, 0 if not unseen else new_left, next_due)


def dashboard(*, user: User, now: datetime) -> dict:
    """Everything on the learner's dashboard, in a fixed number of queries whatever their history."""
    objectives = list(cards())
    states = {s.objective_id: s for s in CardState.objects.filter(user=user)}
    studied = set(StudiedObjective.objects.filter(user=user).values_list("objective_id", flat=True))
    zone = learner_zone(user)
    today = local_today(user, now)
    _, end_of_today = local_day_bounds(user, today)

    recall_now = {
        o.pk: scheduling.retrievability(states[o.pk].card if o.pk in states else None, now) for o in objectives
    }
    modules: dict[int, dict] = {}
    for o in objectives:
        row = modules.setdefault(o.module_id, {"module": o.module, "objectives": 0, "studied": 0, "recall": 0.0})
        row["objectives"] += 1
        row["studied"] += o.pk in studied
        row["recall"] += recall_now[o.pk]
    for row in modules.values():
        row["mastery"] = round(100 * row["recall"] / row["objectives"])

    core_states = [states[o.pk] for o in objectives if o.pk in states]
    forecast = []
    for offset in range(7):
        start, end = local_day_bounds(user, today + timedelta(days=offset))
        count = sum(1 for s in core_states if (s.due < end if offset == 0 else start <= s.due < end))
        forecast.append({"day": today + timedelta(days=offset), "count": count})

    days = {d.date() for d in ReviewEvent.objects.filter(user=user).datetimes("reviewed_at", "day", tzinfo=zone)}
    streak, day = 0, today if today in days else today - timedelta(days=1)
    while day in days:
        streak, day = streak + 1, day - timedelta(days=1)

    reviewed = [o for o in objectives if o.pk in states]
    weakest = sorted(reviewed, key=lambda o: (recall_now[o.pk], o.module.order, o.order))[:5]
    for o in weakest:
        o.recall_percent = round(100 * recall_now[o.pk])

    readiness = None
    if user.exam_date:
        exam_at = datetime.combine(user.exam_date, time(9), tzinfo=zone)
        at_exam = {
            o.pk: scheduling.retrievability(states[o.pk].card if o.pk in states else None, max(exam_at, now))
            for o in objectives
        }
        expected = sum(at_exam.values())
        gains = defaultdict(float)
        for o in objectives:
            gains[o.module_id] += 1 - at_exam[o.pk]
        readiness = {
            "exam_date": user.exam_date,
            "expected": round(expected),
            "total": len(objectives),
            "percent": round(100 * expected / len(objectives)) if objectives else 0,
            "gain_modules": [modules[m]["module"] for m, _ in sorted(gains.items(), key=lambda kv: -kv[1])[:3]],
        }

    return {
        "modules": list(modules.values()),
        "due_today": sum(1 for s in core_states if s.due < end_of_today),
        "due_now": sum(1 for s in core_states if s.due <= now),
        "forecast": forecast,
        "streak": streak,
        "weakest": weakest,
        "readiness": readiness,
        "cards_total": len(objectives),
        "cards_seen": len(core_states),
    }
