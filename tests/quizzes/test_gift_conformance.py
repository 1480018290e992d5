"""The importer agrees with Moodle's own GIFT test cases (../shared/reference/gift), for every kind we support."""

import json
from decimal import Decimal

import pytest

from quizzes import gift
from tests.conftest import DATA

REFERENCE = DATA / "gift"
KINDS = {"multichoice": None, "truefalse": "truefalse", "match": "matching", "ordering": "ordering"}
UNSUPPORTED = {"essay", "numerical", "shortanswer", "description"}


def cases():
    return json.loads((REFERENCE / "gift_cases.json").read_text())


def parse_one(text: str):
    parsed = gift.parse(text)
    assert parsed.errors == []
    return parsed


@pytest.mark.parametrize("case", cases(), ids=lambda c: c["name"])
def test_import_agrees_with_moodle(case):
    expected = case["expected"]
    parsed = parse_one(case["gift"])

    if expected["qtype"] in UNSUPPORTED:
        assert [s.kind for s in parsed.skipped] == [expected["qtype"]]
        assert parsed.questions == []
        return
    (q,) = parsed.questions
    assert q.title == expected["name"]
    # Moodle's own "moodle" format is HTML-ish text: we keep it as HTML (sanitized when shown).
    assert q.text_format == {"moodle": "html"}.get(expected["questiontextformat"], expected["questiontextformat"])
    assert q.stem == expected["questiontext"]
    if "idnumber" in expected:
        assert q.idnumber == expected["idnumber"]
    if "tags" in expected:
        assert q.tags == expected["tags"]
    assert q.explanation == expected["generalfeedback"]
    if expected["qtype"] == "multichoice":
        assert q.kind == ("single" if expected["single"] else "multiple")
        assert [c.text for c in q.choices] == [a["text"] for a in expected["answer"]]
        assert [float(c.fraction) for c in q.choices] == pytest.approx(expected["fraction"])
        assert [c.feedback for c in q.choices] == [f["text"] for f in expected["feedback"]]
    elif expected["qtype"] == "truefalse":
        true = q.choices[0]
        assert true.fraction == Decimal(expected["correctanswer"])
        assert true.feedback == expected["feedbacktrue"]["text"]
        assert q.choices[1].feedback == expected["feedbackfalse"]["text"]
    elif expected["qtype"] == "match":
        assert q.kind == "matching"
        assert [c.text for c in q.choices] == [s["text"] for s in expected["subquestions"]]
        assert [c.match_text for c in q.choices] == expected["subanswers"]


def test_moodle_fixture_files_import_without_errors():
    for name in ["questions.gift.txt", "questions_in_category.gift.txt", "examples.txt"]:
        parsed = gift.parse((REFERENCE / name).read_text())
        assert parsed.errors == [], name
        assert parsed.questions, name


def test_moodle_ordering_export_imports_as_ordering():
    (q,) = parse_one((REFERENCE / "ordering_testexport.gift.txt").read_text()).questions

    assert (q.kind, q.title, q.idnumber) == ("ordering", "Moodle", "myid")
    assert [c.text for c in q.choices] == ["Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment"]


def test_moodle_export_cases_read_back_as_the_question_exported():
    data = json.loads((REFERENCE / "gift_export_cases.json").read_text())
    for case in data["cases"]:
        parsed = parse_one(case["expected_gift"])
        qtype = case["question"]["qtype"]
        if qtype in UNSUPPORTED:
            assert [s.kind for s in parsed.skipped] == [qtype], case["name"]
        else:
            assert parsed.questions[0].title == case["question"]["name"], case["name"]
