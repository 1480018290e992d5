"""Grading on the server, for every kind (docs/grading.md). Pure functions over a question snapshot.

A snapshot is the question as an attempt froze it (`quizzes.services.bank.question_snapshot`): its kind
and its choices, each with a snapshot-local `key`, `fraction`, `match_text` and `order`; a matching
question also lists its `answers`, each with a key of its own and its `match_text`.
"""

from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from quizzes.models import Question

ONE, ZERO = Decimal(1), Decimal(0)


class InvalidResponse(ValueError):
    """The response names something that is not in the question (a 400, never a grade)."""


class IncompleteResponse(InvalidResponse):
    """The learner has not finished answering (nothing to save yet; never a grade)."""


def _quantize(value: Decimal) -> Decimal:
    # Four places: three shares of 0.3333333 make 1, as the author meant.
    return max(ZERO, min(ONE, value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _keys(snapshot: dict) -> dict[str, dict]:
    return {c["key"]: c for c in snapshot["choices"]}


def grade(snapshot: dict, response: dict) -> Decimal:
    """The credit, 0 to 1, for `response` to the question in `snapshot`.

    single / truefalse: {"choice": key}; multiple: {"choices": [keys]};
    matching: {"pairs": {left key: answer key}}; ordering: {"order": [keys]}.
    """
    choices = _keys(snapshot)
    kind = snapshot["kind"]
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
        key = response.get("choice")
        if key not in choices:
            raise InvalidResponse("no such option")
        return _quantize(Decimal(choices[key]["fraction"]))
    if kind == Question.Kind.MULTIPLE:
        keys = response.get("choices", [])
        if len(set(keys)) != len(keys) or any(k not in choices for k in keys):
            raise InvalidResponse("no such option")
        return _quantize(sum((Decimal(choices[k]["fraction"]) for k in keys), ZERO))
    if kind == Question.Kind.MATCHING:
        pairs = response.get("pairs", {})
        answers = {a["key"]: a["match_text"] for a in snapshot["answers"]}
        lefts = [c for c in snapshot["choices"] if c["text"]]
        if any(left not in choices or not choices[left]["text"] for left in pairs) or any(
            answer not in answers for answer in pairs.values()
        ):
            raise InvalidResponse("no such pair")
        right = sum(1 for c in lefts if c["key"] in pairs and answers[pairs[c["key"]]] == c["match_text"])
        return _quantize(Decimal(right) / Decimal(len(lefts)))
    if kind == Question.Kind.ORDERING:
        order = response.get("order", [])
        if sorted(order) != sorted(choices):
            raise InvalidResponse("the items must each appear once")
        position = {c["key"]: c["order"] for c in snapshot["choices"]}
        ranked = sorted(position, key=position.get)
        following = dict(pairwise(ranked))
        right = sum(1 for a, b in pairwise(order) if following.get(a) == b)
        return _quantize(Decimal(right) / Decimal(len(order) - 1))
    raise InvalidResponse(f"unknown kind {kind}")


def correct_response(snapshot: dict) -> dict:
    """The response that earns full credit (for review pages and tests)."""
    kind, choices = snapshot["kind"], snapshot["choices"]
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
        return {"choice": max(choices, key=lambda c: Decimal(c["fraction"]))["key"]}
    if kind == Question.Kind.MULTIPLE:
        return {"choices": [c["key"] for c in choices if Decimal(c["fraction"]) > 0]}
    if kind == Question.Kind.MATCHING:
        answer_for = {a["match_text"]: a["key"] for a in snapshot["answers"]}
        return {"pairs": {c["key"]: answer_for[c["match_text"]] for c in choices if c["text"]}}
    return {"order": [c["key"] for c in sorted(choices, key=lambda c: c["order"])]}
