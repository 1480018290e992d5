"""Regression tests for the security and resilience review (issue 12): each fails without its fix."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from content.selectors import objectives_search
from quizzes.models import Attempt, Question, Quiz
from quizzes.services.attempts import attempt_answer, attempt_start, attempt_submit
from quizzes.validation import ChoiceData
from tests.factories import ObjectiveFactory, QuestionFactory
from tests.quizzes.helpers import answer, make_quiz, q_url


def test_matching_text_is_escaped_once(learner_client, learner, small_bank):
    objective = small_bank.objectives.first()
    QuestionFactory(
        objective=objective,
        kind=Question.Kind.MATCHING,
        text_format=Question.Format.PLAIN,
        choices=[ChoiceData("A < B", "less & more"), ChoiceData("C", "D"), ChoiceData("E", "F")],
    )
    Question.objects.exclude(kind=Question.Kind.MATCHING).update(is_active=False)
    Question.objects.filter(idnumber="x-1").update(is_active=False)
    attempt = attempt_start(user=learner, quiz=make_quiz(small_bank, question_count=1))

    page = learner_client.get(q_url(attempt)).text

    assert "A &lt; B" in page and "less &amp; more" in page
    assert "&amp;lt;" not in page and "&amp;amp;" not in page


def test_a_gift_upload_with_a_nul_character_is_refused_with_its_line(instructor_client, db):
    ObjectiveFactory(code="9.1.1")
    upload = SimpleUploadedFile("bad.gift", b"$CATEGORY: 9.1/9.1.1\n\nIs this\x00 true?{T}\n")

    response = instructor_client.post("/admin/quizzes/question/import-gift/", {"file": upload})

    assert response.status_code == 200
    assert "Line 3" in response.text and "NUL" in response.text
    assert not Question.objects.exists()


def test_a_nul_character_in_a_gift_file_given_to_the_command_is_an_error_not_a_traceback(tmp_path, db):
    path = tmp_path / "bad.gift"
    path.write_bytes(b"Is this\x00 true?{T}\n")

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_gift", str(path), stdout=None, stderr=None)


def test_a_nul_character_in_a_course_file_is_reported_with_its_line(tmp_path, db):
    from content.loader import ContentError, parse_module_file

    path = tmp_path / "9.1.md"
    path.write_bytes(b'+++\ncode = "9.1"\n+++\n\n## 9.1.1 Prompt\n\nA note\x00.\n')

    with pytest.raises(ContentError) as error:
        parse_module_file(path)
    assert (error.value.line, "NUL" in str(error.value)) == (7, True)


def test_a_search_that_matches_nothing_finds_nothing(course_library):
    assert objectives_search(query="quantum physics") == []
    assert len(objectives_search(query="escalation")) > 0


def test_a_practice_never_draws_a_question_of_an_attempt_still_in_progress(learner_client, learner, small_bank):
    exam = make_quiz(small_bank, slug="deferred", feedback_mode="deferred", question_count=3)
    running = attempt_start(user=learner, quiz=exam)
    held = {s.question_id for s in running.slots.all()}

    learner_client.post("/quizzes/practice/objective/", {"code": "9.1.1"})
    learner_client.post("/quizzes/practice/objective/", {"code": "9.1.2"})  # a second one: the first again

    practice = Attempt.objects.get(quiz__kind="practice")
    assert {s.question_id for s in practice.slots.all()}.isdisjoint(held)
    assert Attempt.objects.filter(quiz__kind="practice").count() == 1


def test_one_practice_at_a_time(learner_client, learner, quiz):
    first = learner_client.post("/quizzes/practice/objective/", {"code": "9.1.1"})
    again = [learner_client.post("/quizzes/practice/objective/", {"code": "9.1.2"}) for _ in range(4)]

    assert {r["Location"] for r in again} == {first["Location"]}
    assert (Quiz.objects.filter(kind="practice").count(), Attempt.objects.filter(quiz__kind="practice").count()) == (
        1,
        1,
    )


def test_show_the_correct_answers_is_frozen_with_the_attempt(learner_client, learner, small_bank):
    quiz = make_quiz(small_bank, feedback_mode="deferred", show_correct_answers=False)
    attempt = attempt_start(user=learner, quiz=quiz)
    slot = attempt.slots.first()
    attempt_answer(attempt=attempt, position=slot.position, response=answer(slot.snapshot, correct=False))
    attempt_submit(attempt=attempt)

    Quiz.objects.filter(pk=quiz.pk).update(show_correct_answers=True)  # an instructor changes it afterwards
    page = learner_client.get(f"/attempts/{attempt.uuid}/result/").text

    assert "Correct answer:" not in page


def test_a_review_hides_the_answers_of_questions_in_an_attempt_still_running(learner_client, learner, small_bank):
    practice = make_quiz(small_bank, slug="first", question_count=5)
    done = attempt_start(user=learner, quiz=practice)
    for slot in done.slots.all():
        attempt_answer(attempt=done, position=slot.position, response=answer(slot.snapshot, correct=False))
    attempt_submit(attempt=done)
    running = attempt_start(user=learner, quiz=make_quiz(small_bank, slug="exam", feedback_mode="deferred"))
    held = running.slots.first()

    page = learner_client.get(f"/attempts/{done.uuid}/result/").text

    item = re.search(rf"<li class=\"review-item\">(?:(?!</li>).)*?{re.escape(held.snapshot['stem_html'])}.*?</li>",
                     page, re.S).group(0)  # fmt: skip
    assert "Correct answer:" not in item and "incorrect" not in item
    assert "shown once you finish the attempt you have in progress" in item
    assert page.count("Correct answer:") == 5 - running.slots.count()
