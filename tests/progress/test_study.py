"""Flashcard study: the queue, ratings as append-only events, derived card states, quizzes feeding cards."""

import io
import re
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_init
from django.utils import timezone

from content.models import Objective
from portal.models import User
from progress.models import CardState, ReviewEvent
from progress.scheduling import derive
from progress.services import card_states_rebuild, review_record
from tests.concurrency import at_once, errors
from tests.factories import ModuleFactory, ObjectiveFactory
from tests.progress.helpers import course_cards, review_history


def rate(client, code, confidence, htmx=False, module=""):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/study/rate/", {"code": code, "confidence": confidence, "module": module}, headers=headers)


def test_the_first_card_is_new_and_its_answer_is_hidden(learner_client, deck):
    page = learner_client.get("/study/").text

    assert "5.1.1 Define term" in page and "new card" in page
    assert "A first point about escalation" not in page
    assert 'href="?reveal=5.1.1"' in page


def test_revealing_shows_the_note_and_when_each_rating_brings_it_back(learner_client, deck):
    plain = learner_client.get("/study/", {"reveal": "5.1.1"}).text
    htmx = learner_client.get("/study/", {"reveal": "5.1.1"}, headers={"HX-Request": "true"}).text

    assert "A first point about escalation" in plain
    assert "How well did you know this?" in plain
    assert re.findall(r'data-key="(\d)"', plain) == ["1", "2", "3", "4", "5"]
    assert "Not at all" in plain and "Perfectly" in plain
    assert "comes back in 1 minute" in plain and "comes back in 8 days" in plain
    assert htmx.lstrip().startswith('<section id="study-card"') and "<html" not in htmx


def test_a_rating_appends_an_event_and_the_next_card_arrives(learner_client, learner, deck):
    response = rate(learner_client, "5.1.1", 5, htmx=True)

    event = ReviewEvent.objects.get()
    assert (event.source, event.confidence, event.rating, event.objective.code) == ("flashcard", 5, 4, "5.1.1")
    assert "5.1.2 Define term" in response.text  # the next card, without a page load
    assert "5.1.1 rated 5." in response.text
    state = CardState.objects.get(user=learner)
    assert state.reps == 1 and state.due > timezone.now() + timedelta(days=7)


def test_a_plain_post_redirects_to_the_next_card(learner_client, deck):
    response = rate(learner_client, "5.2.1", 3, module="5.2")

    assert response.status_code == 302 and response["Location"] == "/study/5.2/"
    assert "5.2.2 Define term" in learner_client.get(response["Location"]).text


def test_due_cards_come_first_most_overdue_first_then_new_cards(learner_client, learner, deck):
    now = timezone.now()
    review_record(user=learner, objective=deck[4], source="flashcard", confidence=1, now=now - timedelta(hours=2))
    review_record(user=learner, objective=deck[3], source="flashcard", confidence=1, now=now - timedelta(hours=1))

    assert "5.2.2 Define term" in learner_client.get("/study/").text  # due two hours ago
    rate(learner_client, "5.2.2", 3)
    assert "5.2.1 Define term" in learner_client.get("/study/").text
    rate(learner_client, "5.2.1", 3)
    assert "5.1.1 Define term" in learner_client.get("/study/").text  # then new cards


def test_new_cards_stop_at_the_daily_limit_of_the_learners_own_day(learner_client, learner, deck):
    learner.daily_new_cards, learner.time_zone = 2, "Pacific/Auckland"
    learner.save()
    rate(learner_client, "5.1.1", 5)
    rate(learner_client, "5.1.2", 5)

    page = learner_client.get("/study/").text

    assert "Nothing due" in page
    assert "The next card is due in" in page
    assert "studied today's new cards" in page
    # yesterday, in Auckland, does not count against today
    CardState.objects.update(first_review=timezone.now() - timedelta(days=1))
    assert "5.1.3 Define term" in learner_client.get("/study/").text


BAD_RATINGS = [
    ({"code": "5.1.1", "confidence": "6"}, 400),
    ({"code": "5.1.1"}, 400),
    ({"code": "9.9", "confidence": "3"}, 404),
]


@pytest.mark.parametrize(("data", "status"), BAD_RATINGS)
def test_bad_ratings_are_refused_and_change_nothing(learner_client, deck, data, status):
    assert learner_client.post("/study/rate/", data).status_code == status
    assert not ReviewEvent.objects.exists()


def test_review_events_are_append_only(learner, deck):
    review_record(user=learner, objective=deck[0], source="flashcard", confidence=3)
    event = ReviewEvent.objects.get()

    event.confidence = 5
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_the_rebuild_equals_the_live_state(learner, other_learner, deck):
    now = timezone.now() - timedelta(days=30)
    for day, (objective, confidence) in enumerate([(0, 3), (0, 4), (1, 1), (0, 1), (1, 5), (2, 2)]):
        for user in (learner, other_learner):
            review_record(user=user, objective=deck[objective], source="flashcard", confidence=confidence,
                          duration_ms=3000, now=now + timedelta(days=day * 3))  # fmt: skip
    live = sorted(CardState.objects.values_list("user_id", "objective_id", "card", "due", "reps", "lapses"))
    CardState.objects.update(reps=99, due=now)

    call_command("rebuild_card_states", stdout=io.StringIO())

    assert sorted(CardState.objects.values_list("user_id", "objective_id", "card", "due", "reps", "lapses")) == live


def test_the_rebuild_removes_states_without_events(learner, other_learner, deck):
    review_record(user=learner, objective=deck[0], source="flashcard", confidence=3)
    review_record(user=other_learner, objective=deck[1], source="flashcard", confidence=3)
    ReviewEvent.objects.filter(user=other_learner).delete()  # behind the states' back

    assert card_states_rebuild() == 1

    assert list(CardState.objects.values_list("user_id", "objective_id")) == [(learner.pk, deck[0].pk)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rebuild_holds_one_learner_at_a_time(postgres_only, deck, learner, other_learner):
    """A learner whose row is locked (a rating in progress) holds up their own rebuild only: the learners
    before them are rebuilt and committed meanwhile, and nobody waits for the whole rebuild."""
    first, second = sorted([learner, other_learner], key=lambda u: u.pk)
    for user in (first, second):
        review_record(user=user, objective=deck[0], source="flashcard", confidence=3)
    CardState.objects.update(reps=99)
    locked, release = threading.Event(), threading.Event()

    def hold_second():
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=second.pk).first()
            locked.set()
            release.wait(30)
        connection.close()

    holder = threading.Thread(target=hold_second)
    holder.start()
    locked.wait(10)
    rebuild = threading.Thread(target=lambda: (card_states_rebuild(), connection.close()))
    rebuild.start()
    try:
        seen = None
        for _ in range(100):  # the first learner's card, committed while the second one's lock is held
            seen = CardState.objects.get(user=first).reps
            if seen != 99:
                break
            time.sleep(0.05)
        waiting = CardState.objects.get(user=second).reps
    finally:
        release.set()
        holder.join()
        rebuild.join()

    assert (seen, waiting) == (1, 99)
    assert sorted(CardState.objects.values_list("reps", flat=True)) == [1, 1]


def test_quiz_answers_feed_the_cards(learner, small_bank):
    from quizzes.services.attempts import attempt_answer, attempt_start, attempt_submit
    from tests.quizzes.helpers import answer, make_quiz

    immediate = make_quiz(small_bank)
    attempt = attempt_start(user=learner, quiz=immediate)
    slot = attempt.slots.first()
    attempt_answer(attempt=attempt, position=1, response=answer(slot.snapshot, correct=False))

    event = ReviewEvent.objects.get()
    assert (event.source, event.rating, event.objective_id) == ("quiz", 1, slot.objective_id)  # wrong: Again
    assert CardState.objects.get(user=learner, objective=slot.objective).due < timezone.now() + timedelta(minutes=2)

    attempt_submit(attempt=attempt)  # (a question of an attempt in progress is never drawn again)
    deferred = make_quiz(small_bank, slug="deferred", feedback_mode="deferred")
    attempt = attempt_start(user=learner, quiz=deferred)
    for s in attempt.slots.all()[:2]:
        attempt_answer(attempt=attempt, position=s.position, response=answer(s.snapshot))
    assert ReviewEvent.objects.count() == 1  # not final until submitted
    attempt_submit(attempt=attempt)
    assert ReviewEvent.objects.filter(source="quiz", rating=3).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tabs_rating_the_same_card_both_count(postgres_only, deck, learner):
    confidences = (2, 4)

    results = at_once(
        2, lambda i: review_record(user=learner, objective=deck[0], source="flashcard", confidence=confidences[i])
    )

    assert errors(results) == []
    events = list(ReviewEvent.objects.filter(user=learner))
    assert sorted(e.confidence for e in events) == [2, 4]
    state = CardState.objects.get(user=learner, objective=deck[0])
    assert state.reps == 2
    assert state.card == derive(deck[0].pk, events)["card"]


@contextmanager
def _built(*models):
    """The model instances of `models` built inside the block (Django's post_init signal)."""
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    for model in models:
        post_init.connect(count, sender=model)
    try:
        yield built
    finally:
        for model in models:
            post_init.disconnect(count, sender=model)


@pytest.mark.parametrize("events", [10, 500])
@pytest.mark.parametrize("cards", [1, 78])
def test_study_page_query_count_is_flat(learner_client, learner, django_assert_num_queries, cards, events):
    objectives = course_cards(cards)
    review_history(learner, objectives, events)
    ObjectiveFactory(module=objectives[0].module, code="5.1.999", order=999)  # never studied: a card to show

    # session, user, the course, the cards' ids, the course's card states (the new cards introduced today
    # among them), open confident mistakes, the card shown
    with django_assert_num_queries(7), _built(Objective, CardState) as built:
        response = learner_client.get("/study/")
    assert response.status_code == 200
    assert response.context["queue"].card is not None
    assert len(built) <= 2  # the card shown and its state, not every card of the course


@pytest.mark.parametrize("events", [10, 500])
@pytest.mark.parametrize("cards", [1, 78])
def test_dashboard_query_count_is_flat(learner_client, learner, django_assert_num_queries, cards, events):
    review_history(learner, course_cards(cards), events)

    # session, user, courses, modules, cards with their studied marks, card states, open confident
    # mistakes, calibration, review days, latest results
    with django_assert_num_queries(10):
        assert learner_client.get("/").status_code == 200


def test_the_dashboard_reads_cards_and_card_states_as_values_not_model_instances(learner_client, learner):
    review_history(learner, course_cards(78), 600)
    with _built(Objective, CardState) as built:
        response = learner_client.get("/")

    assert response.status_code == 200
    assert response.context["cards_seen"] == 78
    assert built == []


def test_dashboard_shows_progress_due_forecast_streak_results_weakest_and_readiness(learner_client, learner, deck):
    now = timezone.now()
    for objective, days_ago, confidence in [(deck[0], 2, 1), (deck[1], 1, 5), (deck[2], 0, 5)]:
        review_record(user=learner, objective=objective, source="flashcard", confidence=confidence,
                      now=now - timedelta(days=days_ago))  # fmt: skip
    learner.exam_date = (now + timedelta(days=20)).date()
    learner.save()
    learner_client.post(f"/objectives/{deck[0].code}/studied/", {"studied": "1"})

    page = learner_client.get("/").text

    assert "Study streak: <strong>3 days</strong>" in page
    assert re.search(r'<progress max="3" value="1" aria-label="5.1 notes studied">', page)
    assert "Mastery</strong> measures how lasting your memory" in page
    assert re.search(r"<td>1</td>", page.split("Due in the next 7 days")[1])  # the card rated 1 is due today
    weakest = page.split("Weakest objectives")[1].split("</ol>")[0]
    assert weakest.index("5.1.1") < weakest.index("5.1.3")
    assert "you would recall about" in page and "of the 6</strong> objectives" in page
    assert "Practice quiz on all of these" in page
    assert 'name="code" value="5.1.1"' in page.split("Weakest objectives")[1]


def test_a_bad_exam_date_is_a_400_with_a_message(learner_client, deck):
    response = learner_client.post("/exam-date/", {"exam_date": "next tuesday"})

    assert response.status_code == 400
    assert "Enter a valid date" in response.text


def test_learner_settings(learner_client, learner, deck):
    response = learner_client.post("/settings/", {"time_zone": "Europe/Paris", "daily_new_cards": "5", "exam_date": ""})
    bad = learner_client.post("/settings/", {"time_zone": "Mars/Olympus", "daily_new_cards": "5"})

    learner.refresh_from_db()
    assert response.status_code == 302
    assert (learner.time_zone, learner.daily_new_cards) == ("Europe/Paris", 5)
    assert bad.status_code == 400


def test_quiz_answers_outside_the_flashcard_course_do_not_use_up_new_cards(learner_client, learner, deck):
    from tests.factories import CourseFactory as Course

    other = ObjectiveFactory(module=ModuleFactory(course=Course(slug="support-center-essentials"), code="S.1"))
    learner.daily_new_cards = 1
    learner.save()
    review_record(user=learner, objective=other, source="quiz", credit=Decimal(1))

    assert "5.1.1 Define term" in learner_client.get("/study/").text


def test_rating_with_a_module_of_another_course_is_404(learner_client, deck):
    response = learner_client.post("/study/rate/", {"code": "5.1.1", "confidence": "3", "module": "S.1"})

    assert response.status_code == 404
    assert not ReviewEvent.objects.exists()


def test_htmx_errors_land_in_the_status_region(learner_client, deck):
    response = learner_client.post("/objectives/5.1.1/studied/", {"studied": "maybe"}, headers={"HX-Request": "true"})

    assert response.status_code == 400
    assert response["HX-Retarget"] == "#messages"
    assert 'role="alert"' in response.text


def test_an_exam_date_in_the_past_is_refused_with_a_message(learner_client, learner, deck):
    response = learner_client.post("/exam-date/", {"exam_date": "2020-01-01"})

    assert response.status_code == 400
    assert "That date has passed" in response.text
    learner.refresh_from_db()
    assert learner.exam_date is None


def test_the_settings_refuse_an_exam_date_in_the_past_too(learner_client, learner, deck):
    response = learner_client.post(
        "/settings/", {"time_zone": "UTC", "daily_new_cards": "10", "exam_date": "2020-01-01"}
    )

    assert response.status_code == 400 and "That date has passed" in response.text


@pytest.mark.parametrize("events", [10, 500])
@pytest.mark.parametrize("first_time", [True, False])
def test_rating_a_card_query_count_is_flat(learner_client, learner, django_assert_num_queries, events, first_time):
    objectives = course_cards(40)
    review_history(learner, objectives[:20], events)
    card = objectives[25 if first_time else 0]

    # session, user, the course, the card rated (id, code); BEGIN, the learner's lock, the event, the
    # card's events, the state's UPDATE (and an INSERT at its first review), COMMIT; the next card: the
    # course's cards, their states, open confident mistakes, the card shown
    with django_assert_num_queries(15 if first_time else 14):
        response = rate(learner_client, card.code, 3, htmx=True)
    assert response.status_code == 200
    assert ReviewEvent.objects.filter(user=learner, objective=card).exists()
