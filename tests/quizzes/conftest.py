import pytest

from content.models import Course, Module
from quizzes.models import Quiz
from quizzes.services import gift_import
from tests.factories import CourseFactory, ModuleFactory, ObjectiveFactory

BANK = """\
$CATEGORY: 9.1/9.1.1

// [id:s-1]
Which is NOT part of an SLA?{
~Response time#It is.
=Number of staff#Right.
~Uptime#It is.
####Objective 9.1.1\\: staffing is not.}

// [id:m-1]
Which are in an SLA? (Select all that apply.){
~%50%Response time ~%50%Uptime ~%-50%Staff count ~%-50%Desk colour
####Objective 9.1.1\\: two are.}

// [id:t-1]
Escalation can be hierarchical.{T#No, it can.#Yes.####Objective 9.1.1\\: functional or hierarchical.}

$CATEGORY: 9.1/9.1.2

// [id:x-1]
Match the escalation types.{
=Functional -> Lateral =Hierarchical -> Upwards =Number of types -> Two = -> Sideways
####Objective 9.1.2\\: as the note says.}

// [id:o-1]
Order the first steps.{>4 ALL VERTICAL RELATIVE_NEXT_EXCLUDE_LAST SHOW
Identify
Log
Categorize
Prioritize
####Objective 9.1.2\\: identify, log, categorize, prioritize.}
"""


@pytest.fixture
def small_bank(db):
    """Module 9.1 (two objectives, questions of every kind) in the core course slot."""
    course = Course.objects.filter(slug="process-and-procedures").first() or CourseFactory(
        slug="process-and-procedures"
    )
    module = ModuleFactory(course=course, code="9.1", title="Escalation basics", order=91)
    ObjectiveFactory(module=module, code="9.1.1", order=1)
    ObjectiveFactory(module=module, code="9.1.2", order=2)
    report = gift_import(text=BANK)
    assert report.saved, report.errors
    return module


def make_quiz(module: Module, **settings) -> Quiz:
    slug = f"quiz-{module.code.replace('.', '-')}"
    defaults = {"slug": slug, "title": f"{module.code} quiz", "kind": Quiz.Kind.MODULE, "module": module,
                "question_count": 5}  # fmt: skip
    return Quiz.objects.create(**{**defaults, **settings})


@pytest.fixture
def quiz(small_bank):
    return make_quiz(small_bank)


def answer_data(snapshot: dict, correct: bool = True) -> dict:
    """The form a learner would post to answer the question in `snapshot`, rightly or wrongly."""
    from quizzes.grading import correct_response

    kind, choices, right = snapshot["kind"], snapshot["choices"], correct_response(snapshot)
    if kind in ("single", "truefalse"):
        return {
            "choice": right["choice"] if correct else next(c["key"] for c in choices if c["key"] != right["choice"])
        }
    if kind == "multiple":
        return {
            "choices": right["choices"] if correct else [c["key"] for c in choices if c["key"] not in right["choices"]]
        }
    if kind == "matching":
        lefts = [c for c in choices if c["text"]]
        answer_for = {a["match_text"]: a["key"] for a in snapshot["answers"]}
        picks = [c if correct else lefts[(i + 1) % len(lefts)] for i, c in enumerate(lefts)]
        return {f"pair-{c['key']}": answer_for[p["match_text"]] for c, p in zip(lefts, picks, strict=True)}
    order = right["order"] if correct else list(reversed(right["order"]))
    return {f"position-{key}": str(i) for i, key in enumerate(order, start=1)}
