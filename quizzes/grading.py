"""Grading on the server, for every kind (docs/grading.md). Pure functions over a question snapshot.

A snapshot is the question as an attempt froze it (`quizzes.services.bank.question_snapshot`): its kind
and its choices, each with a snapshot-local `key`, `fraction`, `match_text` and `order`; a matching
question also lists its `answers`, each with a key of its own and its `match_text`.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from progress.scheduling import CBM_BEST_RANGE, CERTAINTY_LABELS
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


# Certainty-based marking (Gardner-Medwin's scheme, as Moodle's "deferred feedback with CBM" marks it):
# docs/grading.md. C1 "not sure", C2 "fairly sure", C3 "very sure" (the levels: progress.scheduling).
CBM_RIGHT = {1: Decimal(1), 2: Decimal(2), 3: Decimal(3)}
CBM_WRONG = {1: Decimal(0), 2: Decimal(-2), 3: Decimal(-6)}


def cbm_mark(credit: Decimal, certainty: int) -> Decimal:
    """The CBM mark of an answer: wrong (credit 0) scores 0, −2 or −6; right scores 1, 2 or 3, and a
    partly right answer that share of it (Moodle: rightscore × fraction)."""
    if credit <= 0:
        return CBM_WRONG[certainty]
    return (CBM_RIGHT[certainty] * Decimal(credit)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CertaintyLevel:
    """How the answers given at one certainty level fared, against the range where it is the best choice."""

    certainty: int
    label: str
    answers: int
    share_right: float | None  # the mean credit of those answers, 0 to 1
    best_from: float
    best_to: float
    verdict: str  # "about right", "(slightly) overconfident", "(slightly) underconfident", "no answers"


@dataclass(frozen=True)
class CbmSummary:
    """An attempt's (or any set of answers') certainty-based marks (docs/grading.md).

    `accuracy` is the mean credit with an unanswered question counting 0 (0 to 1); `average` the
    mean CBM mark (−6 to 3); `bonus` = 0.1 × (average − the best average that accuracy could have
    earned at one certainty level); `accuracy_and_bonus` = accuracy + bonus, the CBM grade.
    """

    questions: int
    accuracy: float
    average: float
    bonus: float
    accuracy_and_bonus: float
    levels: tuple[CertaintyLevel, ...]


def _verdict(share: float | None, count: int, low: float, high: float) -> str:
    if not count:
        return "no answers"
    if share < low - 0.0000005:  # Moodle's rough significance test: (distance)² × count > 0.5
        return "overconfident" if (share - low) ** 2 * count > 0.5 else "slightly overconfident"
    if share > high + 0.0000005:
        return "underconfident" if (share - high) ** 2 * count > 0.5 else "slightly underconfident"
    return "about right"


def cbm_summary(answers: list[tuple[Decimal | None, int | None]]) -> CbmSummary | None:
    """The CBM summary of `answers`, each (credit, certainty); an unanswered question is (None, None).
    None when there is nothing to summarise."""
    if not answers:
        return None
    total_credit, total_mark = 0.0, 0.0
    per_level: dict[int, list[float]] = {level: [] for level in CERTAINTY_LABELS}
    for credit, certainty in answers:
        if credit is None or certainty is None:
            continue
        total_credit += float(credit)
        total_mark += float(cbm_mark(credit, certainty))
        per_level[certainty].append(float(credit))
    n = len(answers)
    accuracy, average = total_credit / n, total_mark / n
    expected = max(accuracy * float(CBM_RIGHT[c]) + (1 - accuracy) * float(CBM_WRONG[c]) for c in CERTAINTY_LABELS)
    bonus = 0.1 * (average - expected)  # 0.1: Moodle's constant (Gardner-Medwin), maximises reliability
    levels = []
    for level, credits in per_level.items():
        low, high = CBM_BEST_RANGE[level]
        share = sum(credits) / len(credits) if credits else None
        levels.append(CertaintyLevel(level, CERTAINTY_LABELS[level], len(credits), share, low, high,
                                     _verdict(share, len(credits), low, high)))  # fmt: skip
    return CbmSummary(n, accuracy, average, bonus, accuracy + bonus, tuple(levels))
