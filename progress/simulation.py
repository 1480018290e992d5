"""Simulated learners for the exam plan (`manage.py simulate_plan`, docs/spaced-repetition.md). Pure; no
database.

A simulated learner's true memory follows FSRS's own model with the default parameters: a review at
time t is recalled with probability R (the card's FSRS retrievability at t), drawn from a seeded
random generator, and rated Good if recalled, Again if not; a new card's first review is Good (the
learner reads its note first, as the planner assumes). The same learner (the same seed) studies the
course twice for `days` days before the exam:

- **plan**: each day the plan is worked out again from the simulated history and today's planned
  cards are reviewed;
- **ordinary, same reviews**: ordinary scheduling given exactly as many reviews each day as the plan
  used that day: due cards first (most overdue first), then new cards in course order, then the cards
  due soonest (pulled forward, as Anki's "Advance" does);
- **ordinary**: ordinary scheduling as the portal does it, within the same daily budget: due cards,
  then up to 10 new cards a day.

Exam-day recall of a learner is the mean over the cards of their true FSRS retrievability at the exam.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from statistics import mean, pstdev

from fsrs import Card, Rating

from progress.planning import planned_today
from progress.scheduling import SCHEDULER

ORDINARY_NEW_A_DAY = 10  # User.daily_new_cards' default


@dataclass
class Outcome:
    recall: list[float]  # each learner's mean exam-day recall
    reviews: list[int]  # each learner's number of reviews

    @property
    def mean(self) -> float:
        return mean(self.recall)

    @property
    def spread(self) -> float:
        return pstdev(self.recall)


def _rng(*parts) -> random.Random:
    """A seeded generator for one draw (one learner, or one review): simulation, not security."""
    return random.Random("-".join(map(str, parts)))  # noqa: S311


def _review(rng: random.Random, card: Card | None, pk: int, at: datetime) -> Card:
    if card is None:
        return SCHEDULER.review_card(Card(card_id=pk), Rating.Good, at)[0]
    recalled = rng.random() < SCHEDULER.get_card_retrievability(card, at)
    return SCHEDULER.review_card(card, Rating.Good if recalled else Rating.Again, at)[0]


def _exam_recall(cards: dict[int, Card | None], exam_at: datetime) -> float:
    return mean(SCHEDULER.get_card_retrievability(c, exam_at) if c else 0.0 for c in cards.values())


def _ordinary_day(cards: dict[int, Card | None], at: datetime, count: int, *, fill: bool) -> list[int]:
    due = sorted((c.due, pk) for pk, c in cards.items() if c is not None and c.due <= at)
    new = [pk for pk, c in cards.items() if c is None]
    chosen = [pk for _, pk in due][:count]
    chosen += new[: min(count - len(chosen), len(new) if fill else ORDINARY_NEW_A_DAY)]
    if fill:
        soonest = sorted((c.due, pk) for pk, c in cards.items() if c is not None and c.due > at)
        chosen += [pk for _, pk in soonest][: count - len(chosen)]
    return chosen


def simulate(
    *, learners: int = 20, cards: int = 78, days: int = 30, budget: int = 20, target: float = 0.9, seed: int = 1
) -> dict[str, Outcome]:
    """Mean exam-day recall and reviews of `learners` simulated learners under each policy (above)."""
    start = datetime(2026, 1, 5, 18, tzinfo=UTC)
    exam_day = start.date() + timedelta(days=days)
    exam_at = datetime.combine(exam_day, time(9), tzinfo=UTC)
    results = {name: Outcome([], []) for name in ("plan", "ordinary, same reviews", "ordinary")}
    for learner in range(learners):
        rng = _rng(seed, learner)
        seeds = [rng.random() for _ in range(3)]
        planned: dict[int, Card | None] = dict.fromkeys(range(1, cards + 1))
        counts = []
        for k in range(days):
            at = start + timedelta(days=k)
            today = planned_today(
                cards=planned, now=at, exam_at=exam_at, today=at.date(), exam_day=exam_day, budget=budget,
                target=target,
            )  # fmt: skip
            for pk in today:
                planned[pk] = _review(_rng(seeds[0], k, pk), planned[pk], pk, at)
            counts.append(len(today))
        results["plan"].recall.append(_exam_recall(planned, exam_at))
        results["plan"].reviews.append(sum(counts))
        for name, fill, salt in (("ordinary, same reviews", True, seeds[1]), ("ordinary", False, seeds[2])):
            state: dict[int, Card | None] = dict.fromkeys(range(1, cards + 1))
            reviews = 0
            for k in range(days):
                at = start + timedelta(days=k)
                for pk in _ordinary_day(state, at, counts[k] if fill else budget, fill=fill):
                    state[pk] = _review(_rng(salt, k, pk), state[pk], pk, at)
                    reviews += 1
            results[name].recall.append(_exam_recall(state, exam_at))
            results[name].reviews.append(reviews)
    return results
