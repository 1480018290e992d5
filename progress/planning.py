"""The exam-date study plan (docs/spaced-repetition.md, "The exam plan"). Pure functions; no database.

Given each card's FSRS state, the moment of the exam, a daily budget (cards) and a recall target, the
plan simulates the days from today to the eve of the exam and chooses each day up to `budget` cards,
greedily by the gain in predicted exam-day recall that a review today brings. It is derived on each
request from the card states (themselves derived from the review events) and never stored.

Assumptions, written down in the docs:
- one review per card per day, at the same time of day as `now`;
- a planned review's outcome is an expectation: recalled with probability R (FSRS retrievability at
  the review), forgotten otherwise; the predicted exam-day recall after it is
  R·R_exam(Good) + (1 − R)·R_exam(Again). Later planned reviews start from the Good branch's state
  (the state is not branched); replanning after every real review corrects that assumption;
- a new card's first review is rated Good (the learner reads its note: the portal shows it).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import median

from fsrs import Card, Rating

from progress.scheduling import SCHEDULER

DEFAULT_SECONDS_PER_CARD = 20  # minutes → cards before the learner has MIN_TIMED_REVIEWS timed reviews
MIN_TIMED_REVIEWS = 5
MAX_PLAN_DAYS = 120  # the plan covers at most the next 120 days; reviews beyond them are not planned (nor predicted)


def cards_for_minutes(minutes: int, durations_ms: list[int]) -> int:
    """A budget in minutes as cards a day, from the learner's median review duration (at least one card)."""
    timed = [d for d in durations_ms if d]
    seconds = median(timed) / 1000 if len(timed) >= MIN_TIMED_REVIEWS else DEFAULT_SECONDS_PER_CARD
    return max(1, int(minutes * 60 // max(seconds, 1)))


@dataclass
class PlanDay:
    day: date
    cards: list[int] = field(default_factory=list)  # objective ids, the most valuable first


@dataclass
class Plan:
    days: list[PlanDay]
    budget: int  # cards a day
    target: float  # 0.5–0.99
    without: dict[int, float]  # predicted exam-day recall of each card with no more study
    predicted: dict[int, float]  # … after the planned reviews
    needed_budget: int | None = None  # when the target is not met: the smallest budget that meets it, if any
    beyond_horizon: bool = False  # the exam is more than MAX_PLAN_DAYS away: the plan covers only the first of them

    @property
    def meets_target(self) -> bool:
        return all(r >= self.target for r in self.predicted.values())

    @property
    def today(self) -> list[int]:
        return self.days[0].cards if self.days else []

    @property
    def reviews(self) -> int:
        return sum(len(d.cards) for d in self.days)


def _as_card(objective_id: int, card: dict | Card | None) -> Card | None:
    if card is None or isinstance(card, Card):
        return card
    return Card.from_dict(card)


def _recall(card: Card | None, at: datetime) -> float:
    return SCHEDULER.get_card_retrievability(card, at) if card is not None else 0.0


def _review(card: Card | None, objective_id: int, rating: Rating, at: datetime) -> Card:
    return SCHEDULER.review_card(card if card is not None else Card(card_id=objective_id), rating, at)[0]


def _simulate(
    cards: dict[int, Card | None],
    *,
    now: datetime,
    exam_at: datetime,
    today: date,
    days: int,
    budget: int,
    target: float,
    reviewed_today: set[int],
    today_only: bool = False,
) -> tuple[list[PlanDay], dict[int, float], dict[int, float]]:
    """The plan's days and each card's predicted exam-day recall without and with them; with `today_only`,
    the first day alone (`planned_today`)."""
    state = dict(cards)
    rank = {pk: i for i, pk in enumerate(cards)}  # equal gains (new cards) go in the order given: the course's
    without = {pk: _recall(card, exam_at) for pk, card in cards.items()}
    expected = dict(without)  # predicted exam-day recall if the card is not reviewed again
    plan = []
    for k in range(min(days, 1) if today_only else days):
        at = now + timedelta(days=k)
        capacity = budget - (len(reviewed_today) if k == 0 else 0)
        below = [pk for pk in state if expected[pk] < target and not (k == 0 and pk in reviewed_today)]
        # The final sweep: once the cards still below the target would not fit in the days left after
        # today, every one of them is a candidate (the largest gains are the lowest predicted recalls).
        sweep = len(below) > budget * (days - k - 1)
        gains = []
        new_after = None  # a new card's first review (Good) today: the same prediction for every new card
        for pk in below if capacity > 0 else []:
            card = state[pk]
            if card is None:
                if new_after is None:
                    new_after = _recall(_review(None, pk, Rating.Good, at), exam_at)
                gains.append((expected[pk] - new_after, rank[pk], pk, None, new_after))  # reviewed if chosen
                continue
            p = _recall(card, at)
            if p > target and not sweep:
                continue  # not due for the plan yet: reviewing it now would waste the spacing effect
            good = _review(card, pk, Rating.Good, at)
            after = p * _recall(good, exam_at) + (1 - p) * _recall(_review(card, pk, Rating.Again, at), exam_at)
            # most negative first: the largest gain (the rank, unique, breaks ties: no two cards compare)
            gains.append((expected[pk] - after, rank[pk], pk, good, after))
        gains.sort()
        chosen = [g for g in gains[: max(0, capacity)] if g[0] < 0]
        for _, _, pk, good, after in chosen:
            state[pk] = good if good is not None else _review(None, pk, Rating.Good, at)
            expected[pk] = after
        plan.append(PlanDay(today + timedelta(days=k), [pk for _, _, pk, _, _ in chosen]))
    return plan, without, expected


def _days(today: date, exam_day: date) -> int:
    return max(0, min((exam_day - today).days, MAX_PLAN_DAYS))


def exam_plan(
    *,
    cards: dict[int, dict | Card | None],
    now: datetime,
    exam_at: datetime,
    today: date,
    exam_day: date,
    budget: int,
    target: float,
    reviewed_today: set[int] | frozenset = frozenset(),
    find_needed_budget: bool = True,
) -> Plan:
    """The plan from `today` to the eve of `exam_day` (at most MAX_PLAN_DAYS days) for `cards`
    (objective id → fsrs card, as a dict or a Card, or None for a card never studied).

    `reviewed_today` are the cards already reviewed today: they count against today's budget and are
    not planned again today. When the target is not met, `needed_budget` is the smallest daily budget
    that meets it (a binary search over budgets up to one review of every card a day), or None when
    no budget can by then.
    """
    now = now.astimezone(UTC)
    exam_at = exam_at.astimezone(UTC)
    parsed = {pk: _as_card(pk, c) for pk, c in cards.items()}
    days = _days(today, exam_day)
    reviewed = set(reviewed_today) & set(parsed)

    def run(b: int):
        return _simulate(
            parsed, now=now, exam_at=exam_at, today=today, days=days, budget=b, target=target, reviewed_today=reviewed
        )

    schedule, without, predicted = run(budget)
    plan = Plan(schedule, budget, target, without, predicted, beyond_horizon=(exam_day - today).days > MAX_PLAN_DAYS)
    if plan.meets_target or plan.beyond_horizon or not parsed or days == 0 or not find_needed_budget:
        return plan
    low, high = budget, len(parsed) + len(reviewed)  # `low` fails; find the smallest budget that meets it
    if high <= low or not all(r >= target for r in run(high)[2].values()):
        return plan
    while high - low > 1:
        middle = (low + high) // 2
        if all(r >= target for r in run(middle)[2].values()):
            high = middle
        else:
            low = middle
    plan.needed_budget = high
    return plan


def planned_today(
    *,
    cards: dict[int, dict | Card | None],
    now: datetime,
    exam_at: datetime,
    today: date,
    exam_day: date,
    budget: int,
    target: float,
    reviewed_today: set[int] | frozenset = frozenset(),
) -> list[int]:
    """`exam_plan(…).today` for the same arguments, simulating today alone: today's choice depends only on
    the cards as they are and on how many days are left (the final sweep), never on the days after, so
    the study session, which serves only today's cards, does not simulate the days to the exam."""
    parsed = {pk: _as_card(pk, c) for pk, c in cards.items()}
    schedule, _, _ = _simulate(
        parsed, now=now.astimezone(UTC), exam_at=exam_at.astimezone(UTC), today=today, days=_days(today, exam_day),
        budget=budget, target=target, reviewed_today=set(reviewed_today) & set(parsed), today_only=True,
    )  # fmt: skip
    return schedule[0].cards if schedule else []
