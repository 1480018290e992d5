"""A study session without surprises (issue 11): undo, study more, learning cards back in the session,
the supplementary course as flashcards and quizzes."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from content.models import Objective
from progress.models import CardState, ReviewEvent
from progress.selectors import study_queue
from progress.services import review_record, review_undo
from quizzes.models import Quiz
from tests.factories import CourseFactory, ModuleFactory, ObjectiveFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def deck(db):
    core = ModuleFactory(course=CourseFactory(slug="process-and-procedures", order=1), code="5.1", order=1)
    extra = ModuleFactory(course=CourseFactory(slug="support-center-essentials", order=2), code="S.1", order=1)
    for module in (core, extra):
        for n in (1, 2, 3):
            ObjectiveFactory(module=module, code=f"{module.code}.{n}", order=n)
    return core, extra


def _rate(client, code, confidence, **session):
    data = {"code": code, "confidence": confidence, "module": "", "course": "", "more": "", **session}
    return client.post("/study/rate/", data, headers=HTMX)


def test_undo_appends_an_event_and_the_state_is_what_it_was_before(learner_client, learner, deck):
    _rate(learner_client, "5.1.1", 4)
    before = CardState.objects.get(user=learner, objective__code="5.1.1").card
    _rate(learner_client, "5.1.1", 1)

    response = learner_client.post("/study/undo/", {"module": "", "course": "", "more": ""}, headers=HTMX)

    assert "Your rating of 5.1.1 was undone." in response.text
    assert list(ReviewEvent.objects.values_list("source", flat=True)) == ["flashcard", "flashcard", "undo"]
    assert CardState.objects.get(user=learner, objective__code="5.1.1").card == before
    live = list(CardState.objects.values_list("objective_id", "card", "reps"))
    call_command("rebuild_card_states", stdout=io.StringIO())
    assert list(CardState.objects.values_list("objective_id", "card", "reps")) == live  # the rebuild agrees


def test_undoing_a_new_cards_only_rating_makes_it_new_again_and_undo_is_once(learner, deck):
    card = Objective.objects.get(code="5.1.1")
    review_record(user=learner, objective=card, source="flashcard", confidence=3)

    assert review_undo(user=learner).objective == card
    assert not CardState.objects.filter(user=learner).exists()
    assert review_undo(user=learner) is None  # already undone: nothing more to undo


def test_a_rating_offers_its_undo(learner_client, deck):
    page = _rate(learner_client, "5.1.1", 3).text

    assert 'action="/study/undo/"' in page and "You rated 5.1.1." in page


def test_a_learning_card_comes_back_in_the_same_session(learner_client, learner, deck):
    learner.daily_new_cards = 1
    learner.save()
    page = _rate(learner_client, "5.1.1", 1).text  # Again: due in a minute, the only new card today

    assert "Nothing due" in page
    poll = re.search(r'hx-get="/study/" hx-trigger="load delay:(\d+)s"', page)
    assert poll and 1 <= int(poll.group(1)) <= 61
    later = timezone.now() + timedelta(minutes=2)
    assert study_queue(user=learner, now=later).card.code == "5.1.1"  # when the poll fires, it is there


def test_study_more_gives_new_cards_beyond_the_daily_limit(learner_client, learner, deck):
    learner.daily_new_cards = 1
    learner.save()
    _rate(learner_client, "5.1.1", 5)

    done = learner_client.get("/study/").text
    more = learner_client.get("/study/?more=5").text

    assert "Nothing due" in done and 'href="/study/?more=5"' in done
    assert "5.1.2" in more and "new card" in more
    assert 'name="more" value="5"' in learner_client.get("/study/?more=5&reveal=5.1.2").text
    assert learner_client.get("/study/?more=-1").status_code == 404


def test_the_supplementary_course_is_studied_as_flashcards_apart(learner_client, learner, deck):
    page = learner_client.get("/study/course/support-center-essentials/").text
    _rate(learner_client, "S.1.1", 4, course="support-center-essentials")

    assert "S.1.1" in page
    assert CardState.objects.get(user=learner).objective.code == "S.1.1"
    assert "5.1.1" in learner_client.get("/study/").text  # the certification course's own new cards
    assert _rate(learner_client, "S.1.2", 4).status_code == 404  # not a card of the core session
    board = learner_client.get("/").text
    assert "Supplementary course:" in board and "1 of 3 cards studied" in board
    assert "Study S.1" in board


def test_every_module_of_every_course_has_a_quiz(deck):
    from quizzes.services.attempts import course_quizzes_ensure

    course_quizzes_ensure()

    assert sorted(Quiz.objects.filter(kind="module").values_list("module__code", flat=True)) == ["5.1", "S.1"]
    assert Quiz.objects.filter(kind="final").count() == 1


def test_rating_buttons_are_told_apart_by_number_and_colour_and_3_and_4_explained(learner_client, deck):
    page = learner_client.get("/study/?reveal=5.1.1").text

    assert [int(n) for n in re.findall(r'class="rating rating-(\d)"', page)] == [1, 2, 3, 4, 5]
    assert "3 and 4 come back at the same time" in page
