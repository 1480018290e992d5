"""Mastery means what it says (docs/spaced-repetition.md): lasting memory, never recall a moment after a review."""

from datetime import timedelta

import pytest
from django.utils import timezone

from progress.selectors import dashboard
from progress.services import review_record
from tests.factories import CourseFactory, ModuleFactory, ObjectiveFactory


@pytest.fixture
def module(db):
    module = ModuleFactory(course=CourseFactory(slug="process-and-procedures"), code="5.1", order=1)
    for n in (1, 2, 3):
        ObjectiveFactory(module=module, code=f"5.1.{n}", order=n)
    return module


def _review_all(learner, module, confidences, *, every_days, now):
    """Each card of the module rated with `confidences` in turn, one review every `every_days` days."""
    start = now - timedelta(days=every_days * len(confidences))
    for i, confidence in enumerate(confidences):
        for objective in module.objectives.all():
            review_record(user=learner, objective=objective, source="flashcard", confidence=confidence,
                          now=start + timedelta(days=every_days * i))  # fmt: skip


def _mastery(learner, now):
    return dashboard(user=learner, now=now)["modules"][0]["mastery"]


def test_failing_every_review_of_a_module_gives_low_mastery_even_just_after_reviewing(learner, module):
    now = timezone.now()
    _review_all(learner, module, [1, 1, 1, 1], every_days=1, now=now)

    assert _mastery(learner, now) <= 5  # recall probability right after the last review is about 100%


def test_long_stable_intervals_give_high_mastery(learner, module):
    now = timezone.now()
    _review_all(learner, module, [4, 4, 4, 5], every_days=20, now=now)

    assert _mastery(learner, now) >= 90


def test_a_wrong_quiz_answer_lowers_mastery(learner, module):
    now = timezone.now()
    _review_all(learner, module, [4, 4, 5], every_days=15, now=now - timedelta(days=1))
    before = _mastery(learner, now)

    for objective in module.objectives.all():
        review_record(user=learner, objective=objective, source="quiz", credit=0, now=now)

    assert _mastery(learner, now) < before / 2


def test_weakest_objectives_rank_by_mastery_and_new_cards_count_as_work_for_today(learner, module):
    now = timezone.now()
    first, second, _third = module.objectives.order_by("order")
    review_record(user=learner, objective=first, source="flashcard", confidence=5, now=now)
    review_record(user=learner, objective=second, source="flashcard", confidence=1, now=now)

    board = dashboard(user=learner, now=now)

    assert [o.code for o in board["weakest"]] == [second.code, first.code]
    assert board["weakest"][0].mastery_percent < board["weakest"][1].mastery_percent
    assert board["new_today"] == 1  # the third card: 10 a day allowed, one left unseen


def test_a_new_learners_dashboard_shows_the_new_cards_waiting(learner_client, module):
    page = learner_client.get("/").text

    assert "0 due for review and 3 new cards" in page
