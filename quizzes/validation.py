"""What makes a question valid, for every way one is written: the admin, GIFT, the bank."""

from dataclasses import dataclass
from decimal import Decimal

from quizzes.models import Question

KINDS = tuple(Question.Kind)


@dataclass
class ChoiceData:
    text: str = ""
    match_text: str = ""
    fraction: Decimal = Decimal(0)
    feedback: str = ""
    order: int = 0


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def question_problems(kind: str, choices: list[ChoiceData]) -> list[str]:
    """Sentences saying what is wrong with a question of `kind` with these choices (empty if valid)."""
    if kind not in KINDS:
        return [f"Unknown kind {kind!r}."]
    problems: list[str] = []
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE):
        texts = [_norm(c.text) for c in choices]
        if any(not t for t in texts):
            problems.append("Every option needs text.")
        if len(set(texts)) < len(texts):
            problems.append("Two options have the same text.")
        if len(choices) < 2:
            problems.append("A question needs at least two options.")
        if any(c.fraction > 1 or c.fraction < -1 for c in choices):
            problems.append("Credit is between -1 and 1 (-100% and 100%).")
    if kind == Question.Kind.SINGLE:
        correct = sum(1 for c in choices if c.fraction == 1)
        if correct != 1:
            problems.append(f"A single-answer question needs exactly one correct answer (it has {correct}).")
    elif kind == Question.Kind.TRUE_FALSE:
        if sorted(_norm(c.text) for c in choices) != ["false", "true"]:
            problems.append("A true/false question has exactly the options True and False.")
        if sum(1 for c in choices if c.fraction == 1) != 1:
            problems.append("A true/false question needs exactly one correct answer.")
    elif kind == Question.Kind.MULTIPLE:
        positive = sum((c.fraction for c in choices if c.fraction > 0), Decimal(0))
        if positive == 0:
            problems.append("A multiple-response question needs at least one correct answer.")
        elif abs(positive - 1) > Decimal("0.0001"):  # thirds are written 33.33333%
            problems.append(
                f"The credits of the correct answers add up to {(positive * 100).normalize():f}%, not 100%."
            )
    elif kind == Question.Kind.MATCHING:
        pairs = [c for c in choices if c.text.strip()]
        if any(not c.match_text.strip() for c in choices):
            problems.append("Every matching row needs the answer it matches.")
        if len(pairs) < 3:
            problems.append(f"A matching question needs at least 3 pairs (it has {len(pairs)}).")
        lefts = [_norm(c.text) for c in pairs]
        rights = [_norm(c.match_text) for c in choices]
        if len(set(lefts)) < len(lefts):
            problems.append("Two pairs have the same question side.")
        if len(set(rights)) < len(rights):
            problems.append("Two pairs have the same answer side.")
    elif kind == Question.Kind.ORDERING:
        items = [_norm(c.text) for c in choices]
        if len(items) < 3:
            problems.append(f"An ordering question needs at least 3 items (it has {len(items)}).")
        if any(not t for t in items):
            problems.append("Every item needs text.")
        if len(set(items)) < len(items):
            problems.append("Two items have the same text.")
    return problems
