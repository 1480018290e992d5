"""Writes to learner progress."""

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from content.models import Objective
from portal.models import User
from progress import scheduling
from progress.models import CardState, ReviewEvent

STATE_FIELDS = ["card", "due", "stability", "difficulty", "reps", "lapses", "last_review", "first_review"]


def _card_state_save(user_id: int, objective_id: int) -> None:
    """Derive the card's state again from all its events. The caller holds the learner's row lock (as every
    writer of a learner's card states does), so an UPDATE, or an INSERT at the card's first review, is
    enough: not update_or_create's savepoint and locking read (three queries more on every rating)."""
    events = scheduling.effective(list(ReviewEvent.objects.filter(user_id=user_id, objective_id=objective_id)))
    states = CardState.objects.filter(user_id=user_id, objective_id=objective_id)
    if not events:
        states.delete()
        return
    values = scheduling.derive(objective_id, events)
    if not states.update(**values):
        CardState.objects.create(user_id=user_id, objective_id=objective_id, **values)


def review_record(
    *,
    user: User,
    objective: Objective,
    source: str,
    confidence: int | None = None,
    credit: Decimal | None = None,
    certainty: int | None = None,
    duration_ms: int | None = None,
    now: datetime | None = None,
) -> None:
    """Append a review event and bring the card's state up to date.

    A flashcard review gives the deck's 1–5 `confidence`; a quiz answer gives its `credit`. The
    learner's row is locked while the card state is derived from all of that card's events, so
    two tabs rating the same card both record their event and leave the state a rebuild gives.
    """
    now = now or timezone.now()
    rating = (
        scheduling.CONFIDENCE_TO_RATING[confidence]
        if confidence is not None
        else scheduling.quiz_rating(credit, certainty)
    )
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        ReviewEvent.objects.create(
            user=user,
            objective=objective,
            source=source,
            confidence=confidence,
            credit=credit,
            certainty=certainty,
            rating=int(rating),
            duration_ms=duration_ms,
            reviewed_at=now,
        )
        _card_state_save(user.pk, objective.pk)


def reviews_record(*, user: User, reviews: list[tuple[Objective, Decimal, datetime, int | None]]) -> None:
    """Record graded quiz answers `(objective, credit, when, certainty)` as reviews, in a fixed number of
    queries: one lock, one insert, one read of the touched cards' events, then their states."""
    if not reviews:
        return
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        ReviewEvent.objects.bulk_create(
            ReviewEvent(
                user=user,
                objective=objective,
                source=ReviewEvent.Source.QUIZ,
                credit=credit,
                certainty=certainty,
                rating=int(scheduling.quiz_rating(credit, certainty)),
                reviewed_at=when,
            )
            for objective, credit, when, certainty in reviews
        )
        ids = {objective.pk for objective, *_ in reviews}
        events = defaultdict(list)
        for event in ReviewEvent.objects.filter(user=user, objective_id__in=ids):
            events[event.objective_id].append(event)
        existing = {s.objective_id: s for s in CardState.objects.filter(user=user, objective_id__in=ids)}
        new, changed = [], []
        for objective_id in ids:
            values = scheduling.derive(objective_id, scheduling.effective(events[objective_id]))
            state = existing.get(objective_id) or CardState(user=user, objective_id=objective_id)
            for name, value in values.items():
                setattr(state, name, value)
            (changed if state.pk else new).append(state)
        CardState.objects.bulk_create(new)
        CardState.objects.bulk_update(changed, STATE_FIELDS)


UNDO_WINDOW = timedelta(hours=1)


def review_undo(*, user: User, now: datetime | None = None) -> ReviewEvent | None:
    """Undo the learner's latest flashcard rating (of the last hour), if it is not undone yet: an undo
    event is appended (the log is never edited) and the card's state derived again without the two.
    Returns the undone rating, or None when there is nothing to undo."""
    now = now or timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        last = (
            ReviewEvent.objects.filter(
                user=user, source=ReviewEvent.Source.FLASHCARD, reviewed_at__gte=now - UNDO_WINDOW
            )
            .select_related("objective")
            .order_by("-reviewed_at", "-pk")
            .first()
        )
        if last is None or ReviewEvent.objects.filter(undoes=last).exists():
            return None
        ReviewEvent.objects.create(
            user=user,
            objective=last.objective,
            source=ReviewEvent.Source.UNDO,
            rating=last.rating,
            undoes=last,
            reviewed_at=now,
        )
        _card_state_save(user.pk, last.objective_id)
    return last


def card_states_rebuild() -> int:
    """Derive every card state again from the review events (states without events are removed); the
    number of cards derived.

    One learner at a time, each in a transaction of its own with the learner's row locked, as a rating
    locks it (`_card_state_save` relies on it): a learner's rating, sign-in or mark waits at most for
    their own cards, never for the whole rebuild, and no query lists every learner at once."""
    learners = sorted(
        set(ReviewEvent.objects.values_list("user_id", flat=True).distinct())
        | set(CardState.objects.values_list("user_id", flat=True).distinct())
    )
    derived = 0
    for user_id in learners:
        with transaction.atomic():
            if not User.objects.select_for_update().filter(pk=user_id).values_list("pk").first():
                continue  # deleted since: their events and states went with them
            objective_ids = sorted(
                set(ReviewEvent.objects.filter(user_id=user_id).values_list("objective_id", flat=True))
            )
            CardState.objects.filter(user_id=user_id).exclude(objective_id__in=objective_ids).delete()
            for objective_id in objective_ids:
                _card_state_save(user_id, objective_id)
            derived += len(objective_ids)
    return derived


def learner_settings_save(*, user: User, time_zone: str, daily_new_cards: int, **exam_plan) -> None:
    """Save the settings page: the time zone, the daily new cards, and the exam plan's (`exam_plan_save`)."""
    user.time_zone, user.daily_new_cards = time_zone, daily_new_cards
    user.save(update_fields=["time_zone", "daily_new_cards"])
    exam_plan_save(user=user, **exam_plan)


def exam_plan_save(
    *,
    user: User,
    exam_date,
    recall_target: int | None = None,
    daily_budget: int | None = None,
    budget_unit: str | None = None,
) -> None:
    """Save the exam date and the plan's settings (None keeps a setting as it is). A new exam date
    forgets the answer to "how did the exam go?", which was about the previous one."""
    if exam_date != User.objects.filter(pk=user.pk).values_list("exam_date", flat=True).first():
        user.exam_outcome = ""  # (a bound form may already have set user.exam_date: compare with the stored one)
    user.exam_date = exam_date
    user.recall_target = recall_target if recall_target is not None else user.recall_target
    user.daily_budget = daily_budget if daily_budget is not None else user.daily_budget
    user.budget_unit = budget_unit or user.budget_unit
    user.save(update_fields=["exam_date", "exam_outcome", "recall_target", "daily_budget", "budget_unit"])


def exam_outcome_save(*, user: User, exam_outcome: str) -> None:
    """Keep the learner's optional answer to "how did the exam go?" (one of User.ExamOutcome)."""
    user.exam_outcome = exam_outcome
    user.save(update_fields=["exam_outcome"])
