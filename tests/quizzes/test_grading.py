"""Grading for every kind, table-driven (docs/grading.md)."""

from decimal import Decimal

import pytest

from quizzes.grading import InvalidResponse, correct_response, grade


def snapshot(kind: str, *choices: dict) -> dict:
    return {
        "kind": kind,
        "choices": [{"text": "", "match_text": "", "fraction": "0", "order": 0, **c} for c in choices],
    }


SINGLE = snapshot("single", {"key": "a", "text": "A", "fraction": "1"}, {"key": "b", "text": "B"},
                  {"key": "c", "text": "C", "fraction": "0.5"})  # fmt: skip
TRUE_FALSE = snapshot("truefalse", {"key": "t", "text": "True"}, {"key": "f", "text": "False", "fraction": "1"})
MULTIPLE = snapshot(
    "multiple",
    {"key": "a", "text": "A", "fraction": "0.3333333"},
    {"key": "b", "text": "B", "fraction": "0.3333333"},
    {"key": "c", "text": "C", "fraction": "0.3333333"},
    {"key": "x", "text": "X", "fraction": "-0.5"},
    {"key": "y", "text": "Y", "fraction": "-0.5"},
)
MATCHING = {
    **snapshot(
        "matching",
        {"key": "p", "text": "Functional", "match_text": "Lateral"},
        {"key": "q", "text": "Hierarchical", "match_text": "Upwards"},
        {"key": "r", "text": "Types", "match_text": "Two"},
        {"key": "s", "text": "", "match_text": "Sideways"},
    ),
    # answers have their own keys: "L" is Lateral's, and so on
    "answers": [
        {"key": k, "match_text": t} for k, t in [("L", "Lateral"), ("U", "Upwards"), ("T", "Two"), ("S", "Sideways")]
    ],
}
ORDERING = snapshot(
    "ordering",
    {"key": "d", "text": "4th", "order": 3},
    {"key": "b", "text": "2nd", "order": 1},
    {"key": "a", "text": "1st", "order": 0},
    {"key": "c", "text": "3rd", "order": 2},
)


@pytest.mark.parametrize(
    ("question", "response", "credit"),
    [
        (SINGLE, {"choice": "a"}, "1"),
        (SINGLE, {"choice": "b"}, "0"),
        (SINGLE, {"choice": "c"}, "0.5"),
        (TRUE_FALSE, {"choice": "f"}, "1"),
        (TRUE_FALSE, {"choice": "t"}, "0"),
        (MULTIPLE, {"choices": ["a", "b", "c"]}, "1"),
        (MULTIPLE, {"choices": ["a", "b"]}, "0.6667"),
        (MULTIPLE, {"choices": ["a"]}, "0.3333"),
        (MULTIPLE, {"choices": ["a", "b", "c", "x"]}, "0.5"),
        (MULTIPLE, {"choices": ["a", "b", "c", "x", "y"]}, "0"),  # ticking everything earns nothing
        (MULTIPLE, {"choices": ["x"]}, "0"),  # never below zero
        (MULTIPLE, {"choices": []}, "0"),
        (MATCHING, {"pairs": {"p": "L", "q": "U", "r": "T"}}, "1"),
        (MATCHING, {"pairs": {"p": "U", "q": "L", "r": "T"}}, "0.3333"),
        (MATCHING, {"pairs": {"p": "S", "q": "S", "r": "S"}}, "0"),
        (MATCHING, {"pairs": {"p": "L"}}, "0.3333"),
        (MATCHING, {"pairs": {"p": "p", "q": "q", "r": "r"}}, "invalid"),  # item keys are not answers
        (ORDERING, {"order": ["a", "b", "c", "d"]}, "1"),
        (ORDERING, {"order": ["d", "c", "b", "a"]}, "0"),
        (ORDERING, {"order": ["b", "c", "d", "a"]}, "0.6667"),  # 2 of 3 neighbours right
        (ORDERING, {"order": ["a", "b", "d", "c"]}, "0.3333"),
    ],
)
def test_grade(question, response, credit):
    if credit == "invalid":
        with pytest.raises(InvalidResponse):
            grade(question, response)
    else:
        assert grade(question, response) == Decimal(credit)


@pytest.mark.parametrize(
    ("question", "response"),
    [
        (SINGLE, {"choice": "zz"}),
        (SINGLE, {}),
        (MULTIPLE, {"choices": ["a", "zz"]}),
        (MULTIPLE, {"choices": ["a", "a"]}),
        (MATCHING, {"pairs": {"s": "L"}}),  # a distractor is not a question side
        (MATCHING, {"pairs": {"p": "p"}}),  # an item's key is not an answer's
        (MATCHING, {"pairs": {"p": "zz"}}),
        (ORDERING, {"order": ["a", "b", "c"]}),
        (ORDERING, {"order": ["a", "a", "b", "c"]}),
    ],
)
def test_a_response_naming_something_not_in_the_question_is_invalid(question, response):
    with pytest.raises(InvalidResponse):
        grade(question, response)


@pytest.mark.parametrize("question", [SINGLE, TRUE_FALSE, MULTIPLE, MATCHING, ORDERING])
def test_the_correct_response_earns_full_credit(question):
    assert grade(question, correct_response(question)) == 1
