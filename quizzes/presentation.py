"""What a question page shows once the learner has answered: chosen answers and feedback."""

from decimal import Decimal

from quizzes.grading import correct_response
from quizzes.models import Question


def chosen_for_display(snapshot: dict, response: dict | None) -> dict:
    """The response in the shape the question template reads (what to pre-select)."""
    if not response:
        return {}
    chosen = dict(response)
    if "order" in response:
        chosen["positions"] = {key: position for position, key in enumerate(response["order"], start=1)}
    return chosen


def feedback_for(snapshot: dict, response: dict, credit: Decimal) -> dict:
    """Everything shown after answering: verdict, feedback on chosen options, the right answer."""
    choices = {c["key"]: c for c in snapshot["choices"]}
    if snapshot["kind"] in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
        picked = [choices[response["choice"]]]
    elif snapshot["kind"] == Question.Kind.MULTIPLE:
        picked = [choices[k] for k in response["choices"]]
    else:
        picked = []
    right = correct_response(snapshot)
    if "choice" in right:
        correct_lines = [choices[right["choice"]]["text_html"]]
    elif "choices" in right:
        correct_lines = [choices[k]["text_html"] for k in right["choices"]]
    elif "pairs" in right:
        correct_lines = [f"{choices[k]['text_html']} → {choices[k]['match_html']}" for k in right["pairs"]]
    else:
        correct_lines = [choices[k]["text_html"] for k in right["order"]]
    verdict = "correct" if credit == 1 else ("partially correct" if credit > 0 else "incorrect")
    return {
        "verdict": verdict,
        "credit_percent": round(Decimal(credit) * 100),
        "picked_feedback": [c for c in picked if c["feedback_html"]],
        "correct_lines": correct_lines,
        "correct_is_ordered": snapshot["kind"] == Question.Kind.ORDERING,
        "explanation_html": snapshot["explanation_html"],
    }


def response_lines(snapshot: dict, response: dict | None) -> list[str]:
    """The learner's answer as lines of HTML (for review pages)."""
    if not response:
        return []
    choices = {c["key"]: c for c in snapshot["choices"]}
    if "choice" in response:
        return [choices[response["choice"]]["text_html"]]
    if "choices" in response:
        return [choices[k]["text_html"] for k in response["choices"]]
    if "pairs" in response:
        answers = {a["key"]: a["match_html"] for a in snapshot["answers"]}
        return [f"{choices[left]['text_html']} → {answers[right]}" for left, right in response["pairs"].items()]
    return [choices[k]["text_html"] for k in response["order"]]
