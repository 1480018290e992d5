"""One way for each mechanism (docs/architecture.md): partials, Vary, messages, derived HTML, invariants."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from quizzes.models import Attempt, Choice, Question
from quizzes.services.attempts import attempt_start
from tests.factories import AttemptFactory, ChoiceFactory, ObjectiveFactory, QuestionFactory, QuizFactory, UserFactory
from tests.quizzes.helpers import make_quiz

HTMX = {"HX-Request": "true"}


def _argumentless_urls(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if "<" in route or "(?P" in route or route.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            yield from _argumentless_urls(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route.lstrip("^").rstrip("$").replace("\\Z", "")


def test_every_argumentless_page_renders_with_one_h1(learner_client, course_library):
    urls = sorted(set(_argumentless_urls()))
    assert "/study/" in urls and "/accounts/login/" in urls  # the walk sees every app's URLs

    instructors_only = {"/cohorts/"}  # a learner is refused (403); tests/cohorts has the permission matrix
    for url in urls:
        response = learner_client.get(url)
        assert response.status_code in ((403,) if url in instructors_only else (200, 302, 405)), (
            url,
            response.status_code,
        )
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            assert response.text.count("<h1") == 1, url


def test_no_model_change_lacks_its_migration(db):
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_a_partial_for_htmx_the_whole_page_for_a_history_restore_and_vary_on_both(learner_client, course_library):
    page = learner_client.get("/search/?q=escalation")
    fragment = learner_client.get("/search/?q=escalation", headers=HTMX)
    restored = learner_client.get("/search/?q=escalation", headers={**HTMX, "HX-History-Restore-Request": "true"})

    assert "<header" in page.text and "<header" not in fragment.text
    assert "<header" in restored.text  # Back after a cache miss gets the page with its navigation
    assert all("HX-Request" in r["Vary"] for r in (page, fragment, restored))


def test_messages_reach_an_htmx_response_out_of_band_and_a_plain_one_after_the_redirect(learner_client, learner):
    objective = ObjectiveFactory()
    url = f"/objectives/{objective.code}/studied/"

    swapped = learner_client.post(url, {"studied": "1"}, headers=HTMX)
    redirected = learner_client.post(url, {"studied": "0"}, follow=True)

    oob = re.search(r'<div hx-swap-oob="innerHTML:#messages">(.*?)</div>', swapped.text, re.S)
    assert oob and f"{objective.code} marked as studied." in oob.group(1)
    assert "hx-swap-oob" not in redirected.text
    assert f"{objective.code} marked as not studied." in redirected.text


def test_editing_a_note_in_the_admin_renders_its_html_again(client, superuser):
    objective = ObjectiveFactory(note_md="- old point\n")
    client.force_login(superuser)

    response = client.post(
        f"/admin/content/objective/{objective.pk}/change/",
        {"module": objective.module_id, "code": objective.code, "prompt": objective.prompt,
         "note_md": "- **new** point\n", "order": objective.order},
    )  # fmt: skip

    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.note_html == "<ul>\n<li><strong>new</strong> point</li>\n</ul>"
    assert objective.note_text == "new point"


def test_changing_a_questions_format_in_the_admin_renders_its_unchanged_choices_again(client, superuser):
    question = QuestionFactory(kind=Question.Kind.SINGLE, text_format=Question.Format.PLAIN)
    choices = list(question.choices.all())
    Choice.objects.filter(pk=choices[0].pk).update(text="**bold** option")
    question.refresh_from_db()
    client.force_login(superuser)
    data = {
        "objective": question.objective_id, "kind": "single", "stem": question.stem, "text_format": "markdown",
        "explanation": question.explanation, "is_active": "on", "title": question.title,
        "idnumber": question.idnumber, "choices-TOTAL_FORMS": "3", "choices-INITIAL_FORMS": "3",
        "choices-MIN_NUM_FORMS": "0", "choices-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, c in enumerate(Choice.objects.filter(question=question).order_by("order")):
        data |= {f"choices-{i}-id": c.pk, f"choices-{i}-question": question.pk, f"choices-{i}-text": c.text,
                 f"choices-{i}-match_text": "", f"choices-{i}-feedback": c.feedback, f"choices-{i}-order": c.order,
                 f"choices-{i}-fraction": str(c.fraction)}  # fmt: skip

    response = client.post(f"/admin/quizzes/question/{question.pk}/change/", data)

    assert response.status_code == 302, response.text[:2000]
    assert Choice.objects.get(pk=choices[0].pk).text_html == "<strong>bold</strong> option"


def test_a_gift_import_renders_the_html_of_what_it_writes(db):
    from quizzes.services.bank import gift_import

    ObjectiveFactory(code="9.9.1")
    report = gift_import(text="$CATEGORY: 9.9/9.9.1\n[markdown]Is **this** bold?{T####Objective 9.9.1\\: *yes*.}\n")

    question = Question.objects.get()
    assert report.saved
    assert (question.stem_html, question.explanation_html) == (
        "<p>Is <strong>this</strong> bold?</p>",
        "<p>Objective 9.9.1: <em>yes</em>.</p>",
    )


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: ChoiceFactory(fraction=Decimal("1.5")), id="choice credit above 1"),
        pytest.param(lambda: ChoiceFactory(fraction=Decimal("-2")), id="choice credit below -1"),
        pytest.param(lambda: QuizFactory(module=None), id="module quiz without a module"),
        pytest.param(lambda: QuizFactory(final=True, owner=UserFactory()), id="final exam with an owner"),
        pytest.param(lambda: QuizFactory(practice=True, owner=None), id="practice quiz without a learner"),
        pytest.param(lambda: AttemptFactory(state=Attempt.State.FINISHED), id="finished attempt without a grade"),
        pytest.param(lambda: AttemptFactory(score=Decimal("0.5")), id="attempt in progress with a grade"),
        pytest.param(lambda: AttemptFactory(finished=True, score=Decimal(2)), id="score above 1"),
    ],
)
def test_the_database_refuses_what_the_code_assumes_never_happens(db, make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_the_quiz_list_and_the_quiz_page_agree_about_an_expired_attempt(learner_client, learner, small_bank):
    quiz = make_quiz(small_bank, time_limit=timedelta(minutes=5), attempts_allowed=None)
    attempt = attempt_start(user=learner, quiz=quiz, now=timezone.now() - timedelta(minutes=10))

    listed = learner_client.get("/quizzes/").text

    assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.FINISHED  # expired before any read
    assert "Continue" not in listed
    assert "Continue" not in learner_client.get(f"/quizzes/{quiz.slug}/").text
