from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from fsrs import Rating

from progress import scheduling

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class Event:
    def __init__(self, rating, at, pk=None):
        self.rating, self.reviewed_at, self.duration_ms, self.pk = rating, at, 4000, pk


@pytest.mark.parametrize(
    ("confidence", "rating"),
    [(1, Rating.Again), (2, Rating.Hard), (3, Rating.Good), (4, Rating.Good), (5, Rating.Easy)],
)
def test_the_decks_scale_maps_to_fsrs_ratings(confidence, rating):
    assert scheduling.CONFIDENCE_TO_RATING[confidence] == rating


@pytest.mark.parametrize(("credit", "rating"), [("0", Rating.Again), ("0.5", Rating.Hard), ("1", Rating.Good)])
def test_a_wrong_quiz_answer_counts_as_again(credit, rating):
    assert scheduling.quiz_rating(Decimal(credit)) == rating


def test_derive_is_deterministic_and_orders_events_by_time():
    events = [Event(3, T0), Event(3, T0 + timedelta(minutes=10)), Event(1, T0 + timedelta(days=3))]

    first = scheduling.derive(7, events)
    shuffled = scheduling.derive(7, [events[2], events[0], events[1]])

    assert first == shuffled
    assert (first["reps"], first["lapses"]) == (3, 1)  # the Again came in the review state
    assert first["first_review"] == T0
    assert first["due"] == T0 + timedelta(days=3, minutes=10)  # relearning step


def test_preview_says_when_each_rating_brings_the_card_back():
    comes_back = scheduling.preview(None, 1, T0)

    assert [scheduling.in_words(comes_back[n] - T0) for n in range(1, 6)] == [
        "in 1 minute", "in 6 minutes", "in 10 minutes", "in 10 minutes", "in 8 days",
    ]  # fmt: skip


def test_retrievability_falls_with_time_and_is_zero_for_a_new_card():
    card = scheduling.derive(1, [Event(3, T0), Event(3, T0 + timedelta(minutes=10))])["card"]

    now, later = (
        scheduling.retrievability(card, T0 + timedelta(days=3)),
        scheduling.retrievability(card, T0 + timedelta(days=30)),
    )
    assert 1 > now > later > 0
    assert scheduling.retrievability(None, T0) == 0


@pytest.mark.parametrize(
    ("delta", "words"),
    [(timedelta(seconds=20), "in 1 minute"), (timedelta(minutes=10), "in 10 minutes"),
     (timedelta(hours=3), "in 3 hours"), (timedelta(days=4), "in 4 days"), (timedelta(days=120), "in 4 months")],
)  # fmt: skip
def test_in_words(delta, words):
    assert scheduling.in_words(delta) == words


@pytest.mark.parametrize("stability", [0.1, 0.7, 2.5, 21.0, 365.25])
def test_recall_after_is_fsrs_retrievability_to_the_last_digit(stability):
    from fsrs import Card

    for elapsed in [timedelta(0), timedelta(hours=23, minutes=59), timedelta(days=1), timedelta(days=9, hours=5),
                    timedelta(days=400), -timedelta(days=3)]:  # fmt: skip
        card = Card(card_id=1, stability=stability, last_review=T0)
        expected = scheduling.SCHEDULER.get_card_retrievability(card, T0 + elapsed)

        assert scheduling.recall_after(stability, elapsed.days) == expected
        assert scheduling.recall(stability, T0, T0 + elapsed) == expected
