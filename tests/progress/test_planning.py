"""The exam plan as a pure function (progress.planning) and its proof by simulation (progress.simulation)."""

import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from fsrs import Card, Rating

from progress.planning import DEFAULT_SECONDS_PER_CARD, cards_for_minutes, exam_plan, planned_today
from progress.scheduling import SCHEDULER
from progress.simulation import simulate

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 18, tzinfo=UTC)


def plan_for(cards, days, budget, target=0.9, **kwargs):
    exam_day = TODAY + timedelta(days=days)
    exam_at = datetime.combine(exam_day, time(9), tzinfo=UTC)
    return exam_plan(
        cards=cards, now=NOW, exam_at=exam_at, today=TODAY, exam_day=exam_day, budget=budget, target=target, **kwargs
    )


def new_deck(n=78):
    return dict.fromkeys(range(1, n + 1))


def reviewed(pk, *ratings_and_days_ago):
    card = Card(card_id=pk)
    for rating, days_ago in ratings_and_days_ago:
        card = SCHEDULER.review_card(card, rating, NOW - timedelta(days=days_ago))[0]
    return card


def test_the_plan_meets_the_target_within_the_budget_when_it_can():
    plan = plan_for(new_deck(), days=30, budget=20)

    assert plan.meets_target
    assert min(plan.predicted.values()) >= 0.9
    assert max(len(d.cards) for d in plan.days) == 20
    assert [d.day for d in plan.days] == [TODAY + timedelta(days=k) for k in range(30)]  # today to the eve
    assert all(len(set(d.cards)) == len(d.cards) for d in plan.days)  # one review of a card a day
    assert plan.needed_budget is None
    assert sum(plan.without.values()) == 0  # nothing studied: nothing recalled without the plan


def test_new_cards_are_introduced_early_enough_for_more_than_one_review():
    plan = plan_for(new_deck(), days=30, budget=20)

    reviews = {pk: [k for k, d in enumerate(plan.days) if pk in d.cards] for pk in range(1, 79)}
    assert all(len(days) >= 2 for days in reviews.values())
    assert max(days[0] for days in reviews.values()) <= 4  # all 78 introduced in the first days


def test_new_cards_come_in_the_order_given_which_is_the_course_s():
    """Equal gains (cards never studied) are taken in the course's order, not by database id: ids follow
    the order the files were loaded in (5.1, 5.10, 5.11 … 5.2)."""
    course_order = [7, 3, 12, 1, 9]

    plan = plan_for(dict.fromkeys(course_order), days=30, budget=3)

    assert plan.days[0].cards == [7, 3, 12]


def test_when_the_budget_is_too_small_the_plan_says_so_with_its_best_recall_and_the_budget_needed():
    plan = plan_for(new_deck(), days=30, budget=5)

    assert not plan.meets_target
    assert min(plan.predicted.values()) < 0.9  # the best the budget reaches, reported as is
    assert plan.reviews == 5 * 30
    needed = plan.needed_budget
    assert needed is not None and needed > 5
    assert plan_for(new_deck(), days=30, budget=needed).meets_target
    assert not plan_for(new_deck(), days=30, budget=needed - 1).meets_target


def test_the_budget_needed_on_the_eve_of_the_exam_is_every_card_still_below_the_target():
    plan = plan_for(new_deck(10), days=1, budget=2, target=0.99)  # one day left, cards never seen

    assert not plan.meets_target
    assert plan.today == [1, 2]
    assert plan.needed_budget == 10


def test_cards_due_after_the_exam_are_pulled_in():
    card = reviewed(1, (Rating.Good, 12), (Rating.Good, 8), (Rating.Good, 1))
    exam_at = datetime.combine(TODAY + timedelta(days=6), time(9), tzinfo=UTC)
    assert card.due > exam_at  # ordinary scheduling would not show it before the exam
    assert SCHEDULER.get_card_retrievability(card, exam_at) < 0.99

    plan = plan_for({1: card}, days=6, budget=5, target=0.99)

    assert any(1 in d.cards for d in plan.days)
    assert plan.predicted[1] >= 0.99 > plan.without[1]


def test_the_last_day_favours_the_cards_with_the_lowest_predicted_recall():
    cards = {pk: reviewed(pk, (Rating.Good, 20 - pk)) for pk in range(1, 11)}  # card 1 reviewed longest ago

    plan = plan_for(cards, days=1, budget=3, target=0.99)

    lowest = sorted(cards, key=lambda pk: plan.without[pk])[:3]
    assert sorted(plan.days[-1].cards) == sorted(lowest) == [1, 2, 3]


def test_cards_reviewed_today_count_against_the_budget_and_are_not_planned_again_today():
    deck = new_deck(10)
    deck[1] = reviewed(1, (Rating.Good, 0))
    deck[2] = reviewed(2, (Rating.Good, 0))

    plan = plan_for(deck, days=10, budget=5, reviewed_today={1, 2})

    assert len(plan.today) == 3 and not {1, 2} & set(plan.today)


@pytest.mark.parametrize(
    ("days", "budget", "target"), [(30, 20, 0.9), (30, 5, 0.9), (6, 4, 0.99), (1, 5, 0.95), (200, 4, 0.9)]
)
def test_todays_cards_alone_are_the_plans_first_day(days, budget, target):
    deck = new_deck(30)
    for pk in range(1, 16):  # half the deck studied, at different times, some lapsed, two today
        deck[pk] = reviewed(pk, (Rating.Good, 3 * pk), (Rating.Again if pk % 4 == 0 else Rating.Good, pk % 7))
    exam_day = TODAY + timedelta(days=days)
    exam_at = datetime.combine(exam_day, time(9), tzinfo=UTC)
    arguments = {"cards": deck, "now": NOW, "exam_at": exam_at, "today": TODAY, "exam_day": exam_day,
                 "budget": budget, "target": target, "reviewed_today": {7, 14}}  # fmt: skip

    assert planned_today(**arguments) == exam_plan(**arguments).today


def test_minutes_become_cards_at_the_learners_median_pace_or_the_default():
    assert cards_for_minutes(10, []) == 10 * 60 // DEFAULT_SECONDS_PER_CARD
    assert cards_for_minutes(10, [30_000, 30_000, 6_000, 30_000, 90_000]) == 20  # median 30 s
    assert cards_for_minutes(1, [600_000] * 5) == 1  # at least one card


def test_following_the_plan_beats_ordinary_scheduling_with_the_same_reviews_and_meets_the_target():
    results = simulate(learners=2, budget=20, target=0.9, seed=7)

    plan, same = results["plan"], results["ordinary, same reviews"]
    assert plan.reviews == same.reviews
    assert plan.mean >= 0.9
    assert plan.mean > same.mean


def test_the_simulate_plan_command_prints_both_with_their_spread():
    out = io.StringIO()
    call_command("simulate_plan", "--learners=1", "--days=10", "--cards=12", "--budget=6", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "1 simulated learners, 12 cards, 10 days before the exam, 6 cards a day, target 90%, seed 1"
    assert [line.split()[0] for line in lines[1:]] == ["plan", "ordinary,", "ordinary"]
    assert all("% ± " in line and "reviews per learner" in line for line in lines[1:])
