"""The GIFT reader and writer, on our own inputs."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes import gift
from quizzes.validation import ChoiceData


def one(text: str) -> gift.GiftQuestion:
    parsed = gift.parse(text)
    assert parsed.errors == [] and parsed.skipped == []
    assert len(parsed.questions) == 1
    return parsed.questions[0]


def test_single_answer_with_title_format_feedback_and_explanation():
    q = one(
        "// [id:sla-not] [tag:not-question] [tag:sla]\n"
        "::SLA parts::[markdown]Which of the following is NOT usually a part of a Service Agreement?{\n"
        "~Amount of time a customer has to wait before expecting a response#It is: response time.\n"
        "=Number of people working the Help Desk#Right.\n"
        "~Allowed downtime for the network\n"
        "####SLAs set response times and uptime.\n}"
    )

    assert (q.kind, q.title, q.text_format, q.idnumber, q.tags) == (
        "single",
        "SLA parts",
        "markdown",
        "sla-not",
        ["not-question", "sla"],
    )
    assert q.stem == "Which of the following is NOT usually a part of a Service Agreement?"
    assert q.explanation == "SLAs set response times and uptime."
    assert [(c.text, c.fraction, c.feedback) for c in q.choices] == [
        ("Amount of time a customer has to wait before expecting a response", 0, "It is: response time."),
        ("Number of people working the Help Desk", 1, "Right."),
        ("Allowed downtime for the network", 0, ""),
    ]


def test_escapes_are_read_as_text():
    q = one("What does \\{x\\} \\= y mean\\: a \\~ b \\# c \\\\ d?{=It\\: works ~No\\#1 ~Maybe}")

    assert q.stem == "What does {x} = y mean: a ~ b # c \\ d?"
    assert [c.text for c in q.choices] == ["It: works", "No#1", "Maybe"]


def test_multiple_response_weights():
    q = one("Pick two.{~%50%a ~%50%b ~%-100%c}")

    assert q.kind == "multiple"
    assert [c.fraction for c in q.choices] == [Decimal("0.5"), Decimal("0.5"), Decimal("-1")]


def test_thirds_keep_seven_places():
    q = one("Pick three.{~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}")

    assert q.choices[0].fraction == Decimal("0.3333333")


@pytest.mark.parametrize(
    ("block", "true_fraction", "true_feedback", "false_feedback"),
    [
        ("{T}", 1, "", ""),
        ("{TRUE#wrong-fb#right-fb}", 1, "right-fb", "wrong-fb"),
        ("{F#wrong-fb#right-fb}", 0, "wrong-fb", "right-fb"),
        ("{FALSE}", 0, "", ""),
    ],
)
def test_true_false_and_its_two_feedbacks(block, true_fraction, true_feedback, false_feedback):
    q = one("The sky is green." + block)

    true, false = q.choices
    assert q.kind == "truefalse"
    assert (true.text, true.fraction, true.feedback) == ("True", true_fraction, true_feedback)
    assert (false.text, false.fraction, false.feedback) == ("False", 1 - true_fraction, false_feedback)


def test_matching_with_a_distractor_answer():
    q = one("Match.{=Functional -> Lateral =Hierarchical -> Upwards =Types -> Two = -> Sideways}")

    assert q.kind == "matching"
    assert [(c.text, c.match_text) for c in q.choices] == [
        ("Functional", "Lateral"),
        ("Hierarchical", "Upwards"),
        ("Types", "Two"),
        ("", "Sideways"),
    ]


def test_ordering_as_moodle_writes_it():
    q = one("::Steps::Put the steps in order.{>3 ALL VERTICAL RELATIVE_NEXT_EXCLUDE_LAST SHOW\nFirst\nSecond\nThird\n}")

    assert q.kind == "ordering"
    assert [(c.text, c.order) for c in q.choices] == [("First", 0), ("Second", 1), ("Third", 2)]


def test_missing_word_puts_a_blank_in_the_stem():
    q = one("The support center {=verifies ~forgets ~ignores} that the incident is resolved.")

    assert q.stem == "The support center _____ that the incident is resolved."


def test_category_names_the_objective_by_its_last_segment():
    parsed = gift.parse("$CATEGORY: $course$/5.13/5.13.1\n\nQ?{=a ~b}\n\n$CATEGORY: 5.13/5.13.2\n\nR?{=c ~d}")

    assert [q.objective_code for q in parsed.questions] == ["5.13.1", "5.13.2"]


def test_unsupported_kinds_are_skipped_with_their_line():
    parsed = gift.parse(
        "::Essay::Tell me.{}\n\n::Num::How many?{#3:1}\n\n::Short::Best animal?{=Frog =Cat}\n\nJust text."
    )

    assert [(s.line, s.kind, s.title) for s in parsed.skipped] == [
        (1, "essay", "Essay"),
        (3, "numerical", "Num"),
        (5, "shortanswer", "Short"),
        (7, "description", ""),
    ]
    assert parsed.questions == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q?{=a ~b", "one '{' and one '}'"),
        ("::Title Q?{=a ~b}", "title is not closed"),
        ("Q?{=a =b ~c}", "exactly one correct answer"),
        ("Match.{=a -> 1 =b -> 2}", "at least 3 pairs"),
        ("Order.{>2\nOne\nTwo\n}", "at least 3 items"),
        ("Q?{~%50%a ~%-50%b}", "add up to 50%"),
    ],
)
def test_errors_name_the_line(text, message):
    parsed = gift.parse("// header\n\nGood?{=a ~b}\n\n" + text)

    assert len(parsed.questions) == 1
    assert len(parsed.errors) == 1
    assert parsed.errors[0].line == 5
    assert message in parsed.errors[0].message


def test_comment_metadata_as_moodle_reads_it():
    assert gift._comment_metadata(["// [tag:  basic] Here is", "// a [id:   four   ] que[tag:add   ]stion."]) == (
        "four",
        ["basic", "add"],
    )
    assert gift._comment_metadata(["// [id:i\\]d]."]) == ("i]d", [])


def sample(kind: str, **changes) -> gift.GiftQuestion:
    choices = {
        "single": [ChoiceData("Right", fraction=Decimal(1), feedback="yes"), ChoiceData("Wrong", feedback="no")],
        "multiple": [ChoiceData("a", fraction=Decimal("0.5")), ChoiceData("b", fraction=Decimal("0.5")),
                     ChoiceData("c", fraction=Decimal(-1))],
        "truefalse": [ChoiceData("True", fraction=Decimal(1), feedback="good"), ChoiceData("False", feedback="bad")],
        "matching": [ChoiceData("x", "1"), ChoiceData("y", "2"), ChoiceData("z", "3"), ChoiceData("", "4")],
        "ordering": [ChoiceData("one", order=0), ChoiceData("two", order=1), ChoiceData("three", order=2)],
    }[kind]  # fmt: skip
    data = {"line": 0, "kind": kind, "stem": "A {stem} = with: #specials~", "title": "T", "explanation": "Why: because",
            "category": "5.13/5.13.1", "idnumber": f"id-{kind}", "tags": ["a-tag"], "choices": choices}  # fmt: skip
    return gift.GiftQuestion(**{**data, **changes})


def comparable(q: gift.GiftQuestion) -> tuple:
    return (q.kind, q.stem, q.title, q.explanation, q.category, q.idnumber, q.tags, q.text_format,
            [(c.text, c.match_text, Decimal(c.fraction), c.feedback) for c in q.choices])  # fmt: skip


@pytest.mark.parametrize("kind", ["single", "multiple", "truefalse", "matching", "ordering"])
def test_write_then_parse_gives_the_same_question(kind):
    question = sample(kind)

    parsed = gift.parse(gift.write([question]))

    assert parsed.errors == []
    assert comparable(parsed.questions[0]) == comparable(question)


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n~=#{}:\\"), min_size=1))
def test_any_text_survives_escaping(text):
    text = text.strip()
    if not text or "\ue000" <= max(text) <= "\uf8ff":
        return
    question = sample("single", stem=text, title="")

    parsed = gift.parse(gift.write([question]))

    assert parsed.questions[0].stem == "\n".join(line.strip() for line in text.split("\n")).strip()
