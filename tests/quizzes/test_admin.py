"""Authoring in the admin, through the admin's own forms."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quizzes.models import Question
from tests.factories import ModuleFactory, ObjectiveFactory

ADD = "/admin/quizzes/question/add/"


@pytest.fixture
def objective(db):
    return ObjectiveFactory(code="9.1.1", module=ModuleFactory(code="9.1"), note_md="- Response time\n- Uptime\n")


def question_post(objective, kind: str, rows: list[dict], **fields) -> dict:
    data = {
        "objective": objective.pk,
        "kind": kind,
        "stem": "Which of the following is NOT usually a part of a Service Agreement?",
        "explanation": "Objective 9.1.1: SLAs set response times and uptime.",
        "is_active": "on",
        "text_format": "markdown",
        "title": "",
        "idnumber": "",
        "choices-TOTAL_FORMS": str(len(rows)),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, row in enumerate(rows):
        row = {"text": "", "match_text": "", "feedback": "", "order": str(i), "fraction": "", **row}
        if row.pop("correct", False):
            data[f"choices-{i}-correct"] = "on"
        data.update({f"choices-{i}-{k}": v for k, v in row.items()})
    return data


SLA_ROWS = [
    {"text": "Amount of time a customer has to wait before expecting a response"},
    {"text": "Number of people working the Help Desk", "correct": True, "feedback": "Staffing is not in an SLA."},
    {"text": "Allowed downtime for the network"},
]


def test_instructor_writes_a_single_answer_question(instructor_client, objective):
    response = instructor_client.post(ADD, question_post(objective, "single", SLA_ROWS))

    assert response.status_code == 302
    question = Question.objects.get()
    assert [(c.text, c.fraction) for c in question.choices.all()] == [
        (SLA_ROWS[0]["text"], 0),
        (SLA_ROWS[1]["text"], 1),
        (SLA_ROWS[2]["text"], 0),
    ]


def test_multiple_response_credits_are_set_from_the_ticks(instructor_client, objective):
    rows = [{"text": "a", "correct": True}, {"text": "b", "correct": True}, {"text": "c", "correct": True},
            {"text": "d"}, {"text": "e"}]  # fmt: skip

    instructor_client.post(ADD, question_post(objective, "multiple", rows))

    fractions = [c.fraction for c in Question.objects.get().choices.all()]
    assert sum(fractions[:3]) == 1
    assert fractions[3:] == [-0.5, -0.5]


@pytest.mark.parametrize(
    ("kind", "rows", "message"),
    [
        ("single", [{"text": "a", "correct": True}, {"text": "b", "correct": True}, {"text": "c"}],
         "exactly one correct answer (it has 2)"),
        ("single", [{"text": "a"}, {"text": "b"}], "exactly one correct answer (it has 0)"),
        ("multiple", [{"text": "a"}, {"text": "b"}, {"text": "c"}], "needs at least one correct answer"),
        ("matching", [{"text": "a", "match_text": "1"}, {"text": "b", "match_text": "2"}], "at least 3 pairs"),
        ("matching", [{"text": "a", "match_text": "1"}, {"text": "b", "match_text": "1"},
                      {"text": "c", "match_text": "3"}], "same answer side"),
        ("matching", [{"text": "a", "match_text": "1"}, {"text": "a", "match_text": "2"},
                      {"text": "c", "match_text": "3"}], "same question side"),
        ("ordering", [{"text": "first"}, {"text": "second"}], "at least 3 items"),
        ("single", [{"text": "same", "correct": True}, {"text": "Same"}], "same text"),
    ],
)  # fmt: skip
def test_the_admin_refuses_an_invalid_question_and_says_why(instructor_client, objective, kind, rows, message):
    response = instructor_client.post(ADD, question_post(objective, kind, rows))

    assert response.status_code == 200
    assert message in response.text
    assert not Question.objects.exists()


def test_instructors_author_questions_but_do_not_manage_users(instructor_client, objective):
    assert instructor_client.get(ADD).status_code == 200
    assert instructor_client.get("/admin/quizzes/question/").status_code == 200
    assert instructor_client.get("/admin/portal/user/").status_code == 403
    assert instructor_client.get("/admin/auth/group/").status_code == 403


def test_a_learner_cannot_reach_the_admin(learner_client, objective):
    assert learner_client.get(ADD).status_code == 302


@pytest.fixture
def bank(instructor_client, objective):
    other = ObjectiveFactory(code="9.2.1", module=ModuleFactory(code="9.2"))
    for i, (obj, kind) in enumerate([(objective, "single"), (objective, "truefalse"), (other, "single")]):
        rows = SLA_ROWS if kind == "single" else [{"text": "True", "correct": True}, {"text": "False"}]
        instructor_client.post(ADD, question_post(obj, kind, rows, stem=f"Stem number {i} about uptime"))
    assert Question.objects.count() == 3
    return Question.objects.order_by("pk")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=number+1", [1]),
        ("kind__exact=truefalse", [1]),
        ("module=9.2", [2]),
        ("is_active__exact=1", [0, 1, 2]),
        ("objective__id__exact={objective}", [0, 1]),
    ],
)
def test_the_question_list_searches_and_filters(instructor_client, bank, objective, query, expected):
    response = instructor_client.get("/admin/quizzes/question/?" + query.format(objective=objective.pk))

    assert response.status_code == 200
    shown = re.findall(r'class="field-short_stem"><a [^>]*>Stem number (\d)', response.text)
    assert sorted(set(map(int, shown))) == expected


@pytest.mark.parametrize("action", ["deactivate", "activate", "duplicate"])
def test_bulk_actions(instructor_client, bank, action):
    pks = [str(q.pk) for q in bank[:2]]
    if action == "activate":
        bank.update(is_active=False)

    instructor_client.post("/admin/quizzes/question/", {"action": action, "_selected_action": pks})

    if action == "duplicate":
        copies = Question.objects.filter(title__startswith="Copy of") | Question.objects.filter(is_active=False)
        assert Question.objects.count() == 5
        assert copies.count() == 2
        assert all(c.choices.count() == 2 or c.choices.count() == 3 for c in copies)
    else:
        assert (
            list(Question.objects.filter(pk__in=pks).values_list("is_active", flat=True)) == [action == "activate"] * 2
        )


def test_preview_holds_no_answer_before_the_previewer_answers(instructor_client, bank):
    question = bank[0]
    correct = question.choices.get(fraction=1)

    page = instructor_client.get(f"/admin/quizzes/question/{question.pk}/preview/").text

    assert "Number of people working the Help Desk" in page  # the option is shown ...
    assert "Staffing is not in an SLA." not in page  # ... but not its feedback,
    assert "SLAs set response times" not in page  # nor the explanation,
    assert f'value="{correct.pk}"' not in page and f'value="c{correct.pk}"' not in page  # nor guessable keys
    assert "correct" not in page.lower().replace("choose one answer", "")
    keys = re.findall(r'name="choice" value="([0-9a-f]+)"', page)
    assert len(keys) == 3


def test_preview_reveals_the_answer_after_answering(instructor_client, bank):
    question = bank[0]
    page = instructor_client.get(f"/admin/quizzes/question/{question.pk}/preview/").text
    keys = re.findall(r'name="choice" value="([0-9a-f]+)"> <span>([^<]+)', page)
    wrong_key = next(key for key, text in keys if "Allowed downtime" in text)

    page = instructor_client.post(f"/admin/quizzes/question/{question.pk}/preview/", {"choice": wrong_key}).text

    assert "✗ Incorrect" in page
    assert "Number of people working the Help Desk" in page.split("The correct answer")[1]
    assert "SLAs set response times and uptime." in page


def test_preview_with_a_forged_answer_is_refused(instructor_client, bank):
    url = f"/admin/quizzes/question/{bank[0].pk}/preview/"
    instructor_client.get(url)

    response = instructor_client.post(url, {"choice": "not-a-key"})

    assert response.status_code == 400
    assert "not one of this question" in response.text


def test_coverage_lists_objectives_below_the_minimum(instructor_client, bank, objective):
    page = instructor_client.get("/admin/quizzes/question/coverage/?min=2").text

    assert "9.2.1" in page
    assert f"<td>{objective.code}</td>" not in page
    assert instructor_client.get("/admin/quizzes/question/coverage/?min=abc").status_code == 200


GIFT = "$CATEGORY: 9.1/9.1.1\n\n// [id:up-1]\nUptime is part of an SLA.{T####Objective 9.1.1\\: it is.}\n"


def test_admin_import_previews_then_saves_on_confirm(instructor_client, objective):
    upload = SimpleUploadedFile("bank.gift", GIFT.encode())

    preview = instructor_client.post("/admin/quizzes/question/import-gift/", {"file": upload})

    assert "Preview: nothing has been saved yet" in preview.text
    assert "1 to create" in preview.text
    assert not Question.objects.exists()
    text = re.search(r'name="text" value="([^"]*)"', preview.text).group(1)

    import html

    done = instructor_client.post(
        "/admin/quizzes/question/import-gift/", {"confirm": "1", "text": html.unescape(text), "objective": ""}
    )

    assert done.status_code == 200
    assert Question.objects.get().idnumber == "up-1"


def test_admin_import_with_an_error_shows_its_line_and_offers_no_confirm(instructor_client, objective):
    upload = SimpleUploadedFile("bank.gift", (GIFT + "\nTwo right?{=a =b ~c}\n").encode())

    page = instructor_client.post("/admin/quizzes/question/import-gift/", {"file": upload}).text

    assert "Line 6:" in page
    assert 'name="confirm"' not in page
    assert not Question.objects.exists()


def test_admin_import_refuses_a_file_that_is_not_utf8(instructor_client, objective):
    upload = SimpleUploadedFile("bank.gift", "Caf\xe9?{T}".encode("latin-1"))

    response = instructor_client.post("/admin/quizzes/question/import-gift/", {"file": upload})

    assert response.status_code == 400
    assert "must use UTF-8" in response.text


def test_admin_exports_a_module_and_the_whole_bank(instructor_client, bank):
    whole = instructor_client.get("/admin/quizzes/question/export-gift/")
    module = instructor_client.get("/admin/quizzes/question/export-gift/?module=9.2")

    assert whole["Content-Disposition"] == 'attachment; filename="bank-all.gift"'
    assert whole.content.decode().count("$CATEGORY:") == 2
    assert module.content.decode().count("Stem number") == 1
    assert module.content.decode().count("$CATEGORY: 9.2/9.2.1") == 1
    assert instructor_client.get("/admin/quizzes/question/export-gift/?module=0.0").status_code == 404


@pytest.mark.parametrize("n", [1, 20])
def test_question_list_query_count_is_flat(instructor_client, objective, django_assert_num_queries, n):
    from quizzes.models import Choice

    for i in range(n):
        q = Question.objects.create(objective=objective, stem=f"Stem {i}", explanation="Because.")
        Choice.objects.create(question=q, text="a", fraction=1)

    # session, user, permissions (user, group), filters (modules, tags, objectives), count, count (all),
    # rows with objectives, tags prefetch
    with django_assert_num_queries(11):
        response = instructor_client.get("/admin/quizzes/question/")
    assert response.status_code == 200


def test_instructors_change_quiz_settings_but_quizzes_are_not_added_by_hand(instructor_client, quiz_for_admin):
    url = f"/admin/quizzes/quiz/{quiz_for_admin.pk}/change/"
    form = {"slug": quiz_for_admin.slug, "title": "Renamed", "question_count": "3", "shuffle_questions": "on",
            "pass_mark": "80", "feedback_mode": "deferred", "grading_method": "last",
            "show_correct_answers": "on"}  # fmt: skip

    assert instructor_client.post(url, form).status_code == 302
    assert instructor_client.get("/admin/quizzes/quiz/add/").status_code == 403
    quiz_for_admin.refresh_from_db()
    assert (quiz_for_admin.title, quiz_for_admin.question_count, quiz_for_admin.feedback_mode) == (
        "Renamed",
        3,
        "deferred",
    )
    assert instructor_client.get("/admin/quizzes/attempt/").status_code == 200  # attempts: view only


@pytest.fixture
def quiz_for_admin(objective):
    from quizzes.models import Quiz

    return Quiz.objects.create(slug="m-9-1", title="9.1 quiz", kind="module", module=objective.module)


# The question form (issue 11): rows, kinds, a new question inactive, the correct-first warning, names.


def test_a_new_question_starts_inactive_and_says_why(instructor_client, bank):
    add = instructor_client.get(ADD).text
    change = instructor_client.get(f"/admin/quizzes/question/{bank[0].pk}/change/").text

    assert re.search(r'<input type="checkbox" name="is_active" [^>]*id="id_is_active">', add)  # unticked
    assert "A new question starts inactive: preview it as a learner" in add
    assert re.search(r'<input type="checkbox" name="is_active" [^>]*id="id_is_active" checked>', change)  # kept


def test_four_answer_rows_for_a_new_question_one_more_for_a_saved_one(instructor_client, bank):
    add = instructor_client.get(ADD).text
    change = instructor_client.get(f"/admin/quizzes/question/{bank[0].pk}/change/").text

    assert 'name="choices-TOTAL_FORMS" value="4"' in add
    assert 'name="choices-TOTAL_FORMS" value="4"' in change  # its 3 choices and one empty row


def test_a_saved_question_shows_the_answer_columns_of_its_kind(instructor_client, bank, objective):
    change = instructor_client.get(f"/admin/quizzes/question/{bank[1].pk}/change/").text  # true/false
    posted = question_post(objective, "matching", [{"text": "a", "match_text": "1"}])
    after_error = instructor_client.post(f"/admin/quizzes/question/{bank[0].pk}/change/", posted).text

    assert 'class="module kind-truefalse"' in change
    assert 'class="module kind-matching"' in after_error  # the kind just chosen, to fix the pairs
    assert 'class="module "' in instructor_client.get(ADD).text  # a new one: all (the script narrows them)
    assert "js/admin-question.js" in change


def test_admin_css_hides_exactly_the_columns_a_kind_does_not_use():
    from pathlib import Path

    from django.conf import settings

    from quizzes.admin import KIND_COLUMNS, ChoiceForm

    css = (Path(settings.BASE_DIR) / "static/css/admin.css").read_text()
    for kind, shown in KIND_COLUMNS.items():
        rule = re.search(rf"\.kind-{kind} :is\(([^)]*)\)", css)
        hidden = set(re.findall(r"\.column-(\w+)", rule.group(1))) if rule else set()
        assert hidden == set(ChoiceForm.Meta.fields) - set(shown), kind


@pytest.mark.parametrize(
    ("kind", "rows", "warned"),
    [
        ("single", [{"text": "a", "correct": True}, {"text": "b"}, {"text": "c"}], True),
        ("single", SLA_ROWS, False),
        ("multiple", [{"text": "a", "correct": True}, {"text": "b", "correct": True}, {"text": "c"}], True),
        ("multiple", [{"text": "a", "correct": True}, {"text": "b"}, {"text": "c", "correct": True}], False),
        ("truefalse", [{"text": "True", "correct": True}, {"text": "False"}], False),
    ],
)  # fmt: skip
def test_the_admin_warns_when_the_correct_options_come_first(instructor_client, objective, kind, rows, warned):
    response = instructor_client.post(ADD, question_post(objective, kind, rows), follow=True)

    assert response.status_code == 200
    assert Question.objects.count() == 1  # a warning, not a refusal
    warning = "the position gives the answer away"
    assert (warning in response.text) is warned
    if warned:
        assert 'class="warning"' in response.text


def test_answer_fields_and_split_date_times_have_names(instructor_client, bank, quiz_for_admin):
    add = instructor_client.get(ADD).text
    change = instructor_client.get(f"/admin/quizzes/question/{bank[0].pk}/change/").text
    quiz = instructor_client.get(f"/admin/quizzes/quiz/{quiz_for_admin.pk}/change/").text

    for name in ["Text", "Matches", "Correct", "Credit", "Feedback", "Order"]:
        assert f'aria-label="{name}, answer 1"' in add
    assert 'aria-label="Text, new answer"' in add  # the template row that "Add another" copies
    assert 'aria-label="Delete answer 1"' in change
    assert 'aria-label="Opens at: date"' in quiz and 'aria-label="Closes at: time"' in quiz
    assert "css/admin.css" in add and "css/admin.css" in quiz  # on every admin page (base_site.html)


def test_preview_is_the_learners_page(instructor_client, bank):
    page = instructor_client.get(f"/admin/quizzes/question/{bank[0].pk}/preview/").text

    assert "css/site.css" in page  # the site's stylesheet and layout, not the admin's
    assert '<section class="question-card"' in page
    assert 'class="option"' in page
    assert "Preview as a learner" in page
