"""Certainty-based marking (issue 14): marks, the summary, certainty on every answer, the scheduler,
confident mistakes first, the class's shared misconceptions."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from progress.models import CardState, ReviewEvent
from progress.scheduling import quiz_rating
from progress.selectors import dashboard, study_queue
from quizzes.grading import cbm_mark, cbm_summary
from quizzes.services.attempts import attempt_answer, attempt_start, attempt_submit
from tests.quizzes.helpers import answer, answer_data, make_quiz, q_url

HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    ("credit", "certainty", "mark"),
    [
        ("1", 1, "1"), ("1", 2, "2"), ("1", 3, "3"),  # right
        ("0", 1, "0"), ("0", 2, "-2"), ("0", 3, "-6"),  # wrong
        ("0.5", 1, "0.5"), ("0.5", 2, "1"), ("0.5", 3, "1.5"),  # partly right: Moodle scales the right mark
    ],
)  # fmt: skip
def test_cbm_marks_as_moodle_defines_them(credit, certainty, mark):
    assert cbm_mark(Decimal(credit), certainty) == Decimal(mark)


def test_the_summary_on_a_case_computed_by_hand():
    # Four answers: right at C3, wrong at C3, right at C1, and one unanswered.
    summary = cbm_summary([(Decimal(1), 3), (Decimal(0), 3), (Decimal(1), 1), (None, None)])

    assert summary.accuracy == pytest.approx(0.5)  # 2 right of 4
    assert summary.average == pytest.approx((3 - 6 + 1 + 0) / 4)  # -0.5
    # accuracy 0.5 would earn at best max(0.5·1 + 0.5·0, 0.5·2 − 0.5·2, 0.5·3 − 0.5·6) = 0.5 (at C1)
    assert summary.bonus == pytest.approx(0.1 * (-0.5 - 0.5))
    assert summary.accuracy_and_bonus == pytest.approx(0.4)
    c3 = summary.levels[2]
    assert (c3.answers, c3.share_right, c3.verdict) == (2, 0.5, "slightly overconfident")  # (0.5 − 0.8)² × 2 < 0.5
    assert summary.levels[1].verdict == "no answers"


def test_a_clear_overconfidence_is_named():
    summary = cbm_summary([(Decimal(0), 3)] * 5 + [(Decimal(1), 3)] * 5)

    assert summary.levels[2].verdict == "overconfident"  # (0.5 − 0.8)² × 10 = 0.9 > 0.5


@pytest.mark.parametrize(
    ("credit", "certainty", "rating"),
    [("1", None, 3), ("1", 1, 2), ("1", 2, 3), ("1", 3, 4), ("0.5", 3, 2), ("0", 1, 1), ("0", 3, 1)],
)
def test_certainty_feeds_the_scheduler(credit, certainty, rating):
    assert int(quiz_rating(Decimal(credit), certainty)) == rating


def _cbm_quiz(small_bank, **settings):
    return make_quiz(small_bank, ask_certainty=True, **settings)


def test_an_answer_without_a_certainty_is_not_accepted(learner_client, learner, small_bank):
    attempt = attempt_start(user=learner, quiz=_cbm_quiz(small_bank))
    slot = attempt.slots.get(position=1)

    missing = learner_client.post(q_url(attempt), {**answer_data(slot.snapshot), "go": "check"})
    bad = learner_client.post(q_url(attempt), {**answer_data(slot.snapshot), "certainty": "9", "go": "check"})

    assert missing.status_code == 400 and "Say how sure you are" in missing.text
    assert bad.status_code == 400
    assert not attempt.slots.filter(response__isnull=False).exists()


@pytest.mark.parametrize("mode", ["immediate", "deferred", "none"])
def test_the_key_never_reaches_the_page_before_the_answer_with_certainty_on(learner_client, learner, small_bank, mode):
    attempt = attempt_start(user=learner, quiz=_cbm_quiz(small_bank, feedback_mode=mode))

    for slot in attempt.slots.all():
        page = learner_client.get(q_url(attempt, slot.position)).text
        assert "How sure are you?" in page
        assert "The correct answer" not in page and "fraction" not in page
        assert slot.snapshot["explanation_html"] not in page


def test_a_confident_mistake_is_kept_and_comes_first(learner_client, learner, small_bank):
    quiz = _cbm_quiz(small_bank, feedback_mode="deferred")
    attempt = attempt_start(user=learner, quiz=quiz)
    slots = list(attempt.slots.order_by("position"))
    wrong = slots[0]
    for slot in slots[1:]:
        attempt_answer(attempt=attempt, position=slot.position, response=answer(slot.snapshot), certainty=1)
    attempt_answer(attempt=attempt, position=wrong.position, response=answer(wrong.snapshot, False), certainty=3)
    attempt_submit(attempt=attempt)

    events = {e.objective_id: e for e in ReviewEvent.objects.filter(certainty=3)}
    board = dashboard(user=learner, now=attempt.finished_at)
    result = learner_client.get(f"/attempts/{attempt.uuid}/result/").text

    assert events[wrong.objective_id].is_confident_mistake and events[wrong.objective_id].rating == 1
    assert [o.pk for o in board["confident_mistakes"]] == [wrong.objective_id]
    assert "How sure you were" in result and "Calibration" in result and "CBM bonus" in result
    live = sorted(CardState.objects.values_list("objective_id", "card"))
    call_command("rebuild_card_states", stdout=io.StringIO())
    assert sorted(CardState.objects.values_list("objective_id", "card")) == live


def test_pass_on_the_cbm_grade_when_the_instructor_chooses_it(learner, small_bank):
    quiz = _cbm_quiz(small_bank, pass_mark=Decimal(60), pass_on_cbm=True, feedback_mode="deferred")
    attempt = attempt_start(user=learner, quiz=quiz)
    slots = list(attempt.slots.order_by("position"))
    for i, slot in enumerate(slots):  # 4 of 5 right (accuracy 80%), but the wrong one "very sure"
        attempt_answer(attempt=attempt, position=slot.position, response=answer(slot.snapshot, i > 0), certainty=3)

    attempt = attempt_submit(attempt=attempt)

    # average (4·3 − 6)/5 = 1.2; accuracy 0.8 earns at best 0.8·3 − 0.2·6 = 1.2 (C3): bonus 0, grade 80%
    assert attempt.score == Decimal("0.8") and attempt.passed


def test_practice_quizzes_ask_for_certainty(learner_client, learner, quiz):
    response = learner_client.post("/quizzes/practice/objective/", {"code": "9.1.1"})

    assert "How sure are you?" in learner_client.get(response["Location"]).text


def test_the_study_queue_puts_confident_mistakes_first_among_the_due(learner):
    from django.utils import timezone

    from progress.services import review_record
    from tests.factories import CourseFactory, ModuleFactory, ObjectiveFactory

    module = ModuleFactory(course=CourseFactory(slug="process-and-procedures"), code="5.1", order=1)
    first, second = (ObjectiveFactory(module=module, code=f"5.1.{n}", order=n) for n in (1, 2))
    long_ago = timezone.now() - timedelta(days=200)
    review_record(user=learner, objective=first, source="flashcard", confidence=3, now=long_ago)  # most overdue
    review_record(user=learner, objective=second, source="quiz", credit=Decimal(0), certainty=3,
                  now=long_ago + timedelta(days=100))  # fmt: skip

    queue = study_queue(user=learner, now=timezone.now())

    assert queue.due_count == 2
    assert queue.card == second  # the confident mistake, though the other card is more overdue
