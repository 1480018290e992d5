"""The quiz pages for a learner's first day (issue 11): the navigator says what ✓ means, feedback sits
before the buttons, and the question is a skip link away."""

import re

from quizzes.services.attempts import attempt_answer, attempt_start
from tests.quizzes.helpers import answer, make_quiz, q_url

HTMX = {"HX-Request": "true"}


def test_the_immediate_navigator_marks_a_wrong_answer_wrong_not_answered(learner_client, learner, small_bank):
    attempt = attempt_start(user=learner, quiz=make_quiz(small_bank))
    first, second = attempt.slots.order_by("position")[:2]
    attempt_answer(attempt=attempt, position=first.position, response=answer(first.snapshot, correct=False))
    attempt_answer(attempt=attempt, position=second.position, response=answer(second.snapshot))

    nav = learner_client.get(q_url(attempt, 3)).text.split('id="attempt-nav"')[1].split("</nav>")[0]

    assert re.search(r">1<span class=\"visually-hidden\">: wrong</span> ✗</a>", nav)
    assert re.search(r">2<span class=\"visually-hidden\">: right</span> ✓</a>", nav)


def test_the_deferred_navigator_only_says_answered(learner_client, learner, small_bank):
    attempt = attempt_start(user=learner, quiz=make_quiz(small_bank, feedback_mode="deferred"))
    first = attempt.slots.order_by("position").first()
    attempt_answer(attempt=attempt, position=first.position, response=answer(first.snapshot, correct=False))

    nav = learner_client.get(q_url(attempt, 2)).text.split('id="attempt-nav"')[1].split("</nav>")[0]

    assert re.search(r">1<span class=\"visually-hidden\">: answered</span> •</a>", nav)
    assert "✗" not in nav and "✓" not in nav


def test_after_check_answer_the_feedback_comes_before_next_and_has_the_focus(learner_client, learner, small_bank):
    from tests.quizzes.helpers import answer_data

    attempt = attempt_start(user=learner, quiz=make_quiz(small_bank))
    first = attempt.slots.order_by("position").first()

    card = learner_client.post(q_url(attempt), {**answer_data(first.snapshot), "go": "check"}, headers=HTMX).text

    assert card.index('class="feedback') < card.index('value="next"')
    assert re.search(r'<section class="feedback[^>]*autofocus', card)


def test_save_answer_keeps_the_focus_on_save(learner_client, learner, small_bank):
    from tests.quizzes.helpers import answer_data

    attempt = attempt_start(user=learner, quiz=make_quiz(small_bank, feedback_mode="deferred"))
    first = attempt.slots.order_by("position").first()

    card = learner_client.post(q_url(attempt), {**answer_data(first.snapshot), "go": "save"}, headers=HTMX).text

    assert re.search(r'value="save" class="button-secondary" autofocus>Save answer', card)


def test_the_first_tab_stop_of_a_question_skips_to_it(learner_client, learner, small_bank):
    attempt = attempt_start(user=learner, quiz=make_quiz(small_bank))

    page = learner_client.get(q_url(attempt)).text

    first_link = re.search(r"<a [^>]*>", page.split("<body")[1]).group(0)
    assert 'href="#question-heading"' in first_link
    assert 'id="question-heading" tabindex="-1"' in page


def test_a_refused_answer_without_javascript_shows_the_question_again_with_the_message(
    learner_client, learner, small_bank
):
    attempt = attempt_start(user=learner, quiz=make_quiz(small_bank))

    response = learner_client.post(q_url(attempt), {"go": "check"})

    assert response.status_code == 400
    assert "Not saved yet" in response.text and 'id="question-card"' in response.text
