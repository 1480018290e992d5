import io

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Question
from quizzes.services.bank import gift_export, gift_import
from tests.factories import ObjectiveFactory

GOOD = """\
$CATEGORY: 9.1/9.1.1

// [id:q-1] [tag:sla]
::SLA::[markdown]Which of the following is NOT usually a part of a Service Agreement?{
~Amount of time a customer has to wait before expecting a response
=Number of people working the Help Desk
~Allowed downtime for the network
####Objective 9.1.1\\: SLAs set response times and uptime.
}

// [id:q-2]
Escalation moves an incident upwards.{T####Hierarchical escalation does.}

::Essay::Tell me.{}
"""


@pytest.fixture
def objective(db):
    return ObjectiveFactory(code="9.1.1")


def test_import_creates_questions_and_reports_skipped_kinds(objective):
    report = gift_import(text=GOOD)

    assert report.saved
    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0}
    assert [(s.kind, s.line) for s in report.skipped] == [("essay", 14)]
    question = Question.objects.get(idnumber="q-1")
    assert question.objective == objective
    assert question.kind == "single"
    assert [t.name for t in question.tags.all()] == ["sla"]
    assert [c.is_correct for c in question.choices.all()] == [False, True, False]
    assert question.explanation_html == "<p>Objective 9.1.1: SLAs set response times and uptime.</p>"


def test_reimport_is_unchanged_and_an_edit_updates_in_place(objective):
    gift_import(text=GOOD)
    first_pk = Question.objects.get(idnumber="q-1").pk

    assert gift_import(text=GOOD).counts == {"created": 0, "updated": 0, "unchanged": 2}

    report = gift_import(text=GOOD.replace("Allowed downtime", "Permitted downtime"))
    assert report.counts == {"created": 0, "updated": 1, "unchanged": 1}
    question = Question.objects.get(idnumber="q-1")
    assert question.pk == first_pk
    assert "Permitted downtime for the network" in [c.text for c in question.choices.all()]


def test_dry_run_previews_and_saves_nothing(objective):
    report = gift_import(text=GOOD, dry_run=True)

    assert report.counts["created"] == 2
    assert not report.saved
    assert not Question.objects.exists()


def test_an_error_anywhere_saves_nothing_and_names_its_line(objective):
    broken = GOOD + "\n\n$CATEGORY: 9.1/9.9.9\n\nUnknown objective?{=a ~b}\n\nTwo right?{=a =b ~c}\n"

    report = gift_import(text=broken)

    assert not report.saved
    assert [e.line for e in report.errors] == [21, 19]
    assert "does not name an objective" in report.errors[1].message
    assert "exactly one correct answer" in report.errors[0].message
    assert not Question.objects.exists()


def test_questions_without_a_category_need_a_chosen_objective(objective):
    text = "Is this fine?{T}"

    assert "no $CATEGORY" in gift_import(text=text).errors[0].message
    assert gift_import(text=text, default_objective=objective).saved


def test_imported_html_is_sanitized_so_a_script_never_runs(objective):
    text = "[html]<p>Hi<script>alert(1)</script><img src=x onerror=alert(1)></p>{=<b>ok</b><script>x()</script> ~no}"

    gift_import(text=text, default_objective=objective)

    question = Question.objects.get()
    assert question.stem_html == "<p>Hi</p>"
    assert question.choices.first().text_html == "<b>ok</b>"


def test_markdown_stems_escape_raw_html(objective):
    gift_import(text="[markdown]Is <script>alert(1)</script> safe?{F}", default_objective=objective)

    assert Question.objects.get().stem_html == "<p>Is &lt;script&gt;alert(1)&lt;/script&gt; safe?</p>"


def test_export_then_import_into_an_empty_bank_gives_the_same_questions(question_bank):
    def snapshot():
        return sorted(
            (q.idnumber, q.objective.code, q.kind, q.stem, q.title, q.explanation, q.text_format, q.is_active,
             tuple(sorted(t.name for t in q.tags.all())),
             tuple((c.text, c.match_text, c.fraction, c.feedback, c.order) for c in q.choices.all()))
            for q in Question.objects.select_related("objective").prefetch_related("tags", "choices")
        )  # fmt: skip

    before = snapshot()
    exported = gift_export(questions=Question.objects.all())
    Question.objects.all().delete()

    report = gift_import(text=exported)

    assert report.errors == []
    assert report.counts["created"] == len(before)
    assert snapshot() == before


def test_export_per_module_holds_only_that_module(question_bank):
    text = gift_export(questions=Question.objects.filter(objective__module__code="5.13"))

    categories = {line for line in text.splitlines() if line.startswith("$CATEGORY:")}
    assert categories == {"$CATEGORY: 5.13/5.13.1", "$CATEGORY: 5.13/5.13.2"}


def test_management_commands_import_and_export(objective, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(GOOD)
    out = io.StringIO()

    call_command("import_gift", str(path), "--dry-run", stdout=out)
    assert "Would import: 2 created" in out.getvalue()
    assert not Question.objects.exists()

    call_command("import_gift", str(path), stdout=out)
    assert Question.objects.count() == 2

    out = io.StringIO()
    call_command("export_gift", "--module", objective.module.code, stdout=out)
    assert "[id:q-1]" in out.getvalue()

    path.write_text("Broken?{=a =b ~c}")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_gift", str(path), "--objective", "9.1.1", stdout=io.StringIO(), stderr=io.StringIO())
