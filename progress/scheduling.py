"""Spaced repetition with FSRS (docs/spaced-repetition.md): the rating mapping and the card state
derived from review events. Pure functions; no database access.

Fuzzing is off, so the same events always give the same state (the rebuild equals the live state).
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from fsrs import Card, Rating, Scheduler, State

SCHEDULER = Scheduler(enable_fuzzing=False)

# The deck's "How well did you know this?" 1 (Not at all) … 5 (Perfectly) to FSRS ratings.
CONFIDENCE_LABELS = {1: "Not at all", 2: "", 3: "", 4: "", 5: "Perfectly"}  # the deck labels only the ends
CONFIDENCE_TO_RATING = {1: Rating.Again, 2: Rating.Hard, 3: Rating.Good, 4: Rating.Good, 5: Rating.Easy}


# Certainty-based marking's levels (docs/grading.md) and the share right at which each is the best
# choice (its expected mark is the highest there); the quiz engine marks with them.
CERTAINTY_LABELS = {1: "not sure", 2: "fairly sure", 3: "very sure"}
CBM_BEST_RANGE = {1: (0.0, 2 / 3), 2: (2 / 3, 0.8), 3: (0.8, 1.0)}


def quiz_rating(credit: Decimal, certainty: int | None = None) -> Rating:
    """A graded quiz answer as a review (docs/spaced-repetition.md): wrong is Again (at any certainty;
    at C3 it is a confident mistake), partly right is Hard; right is Good, or with a certainty level
    Hard at C1 ("not sure": a lucky guess is barely known), Good at C2 and Easy at C3."""
    if credit <= 0:
        return Rating.Again
    if credit < 1:
        return Rating.Hard
    return {None: Rating.Good, 1: Rating.Hard, 2: Rating.Good, 3: Rating.Easy}[certainty]


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def effective(events: list) -> list:
    """The events that count: an undo event and the rating it undoes both drop out."""
    undone = {e.undoes_id for e in events if e.undoes_id is not None}
    return [e for e in events if e.undoes_id is None and e.pk not in undone]


def derive(objective_id: int, events: list) -> dict:
    """The card state after `events` (each with .rating, .reviewed_at, .duration_ms), in time order:
    pass them through `effective` first (at least one must remain)."""
    card = Card(card_id=objective_id)
    lapses = 0
    for event in sorted(events, key=lambda e: (e.reviewed_at, e.pk or 0)):
        if card.state == State.Review and event.rating == Rating.Again:
            lapses += 1
        card, _ = SCHEDULER.review_card(card, Rating(event.rating), _utc(event.reviewed_at), event.duration_ms)
    first = min(e.reviewed_at for e in events)
    return {
        "card": card.to_dict(),
        "due": card.due,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "reps": len(events),
        "lapses": lapses,
        "last_review": card.last_review,
        "first_review": first,
    }


def preview(card: dict | None, objective_id: int, now: datetime) -> dict[int, datetime]:
    """When the card would come back for each confidence 1–5, rated now."""
    current = Card.from_dict(card) if card else Card(card_id=objective_id)
    return {
        confidence: SCHEDULER.review_card(current, rating, _utc(now))[0].due
        for confidence, rating in CONFIDENCE_TO_RATING.items()
    }


def retrievability(card: dict | None, at: datetime) -> float:
    """The chance of recalling the card at `at` (0 for a card never studied)."""
    if not card:
        return 0.0
    return SCHEDULER.get_card_retrievability(Card.from_dict(card), _utc(at))


def recall(stability: float, last_review: datetime, at: datetime) -> float:
    """`retrievability` from a card state's own `stability` and `last_review` columns (the same numbers as
    its card), without reading the card's JSON: the reports compute it for thousands of cards."""
    return SCHEDULER.get_card_retrievability(Card(card_id=0, stability=stability, last_review=last_review), _utc(at))


def in_words(delta: timedelta) -> str:
    """ "in 10 minutes", "in 4 days": when something comes back."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    if hours < 24:
        return f"in {hours} hour{'s' if hours != 1 else ''}"
    days = round(hours / 24)
    if days < 60:
        return f"in {days} day{'s' if days != 1 else ''}"
    months = round(days / 30)
    return f"in {months} month{'s' if months != 1 else ''}"


# FSRS's forgetting curve, as `Scheduler.get_card_retrievability` computes it from the scheduler's parameters.
DECAY = -SCHEDULER.parameters[20]
FACTOR = 0.9 ** (1 / DECAY) - 1


def recall_after(stability: float, elapsed_days: int) -> float:
    """`recall` from a card's stability and the whole days since its last review (`timedelta.days`, as
    FSRS counts them): the same formula without building an FSRS card, for reports that compute it for
    thousands of cards."""
    return (1 + FACTOR * max(0, elapsed_days) / stability) ** DECAY
