"""What a question page shows: the navigation of the attempt's questions; once the learner has answered, the
chosen answers and feedback."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


def nav_item(slot, *, current: int, immediate: bool, question_url: str, oob: bool = False) -> SafeString:
    """One position of the question page's navigation (`#attempt-nav`) as HTML: the link to the
    question, its state as a class, as hidden text and as a mark (answered •; with immediate feedback
    right ✓, partly right ◐, wrong ✗; flagged ⚑). `question_url` is the attempt's question URL
    without the position (reversed once for the 50 links); with `oob` the item replaces its place
    in the page out of band (htmx), which is how an answer or a flag updates the navigation.

    Built here rather than in the template: it holds only integers, fixed text and that URL, and 50
    items through the template language were a third of the page."""
    answered = slot.is_answered
    classes = "nav-answered" if answered else "nav-unanswered"
    if answered and immediate and slot.credit < 1:
        classes += " nav-wrong"
    if slot.flagged:
        classes += " nav-flagged"
    if not answered:
        state, mark = "not answered", ""
    elif immediate:
        state, mark = (
            ("right", " ✓") if slot.credit == 1 else ("partly right", " ◐") if slot.credit > 0 else ("wrong", " ✗")
        )
    else:
        state, mark = "answered", " •"
    flagged = (", flagged", " ⚑") if slot.flagged else ("", "")
    p = slot.position
    swap = ' hx-swap-oob="true"' if oob else ""
    step = ' aria-current="step"' if p == current else ""
    return mark_safe(  # noqa: S308 (integers, fixed text and an escaped URL only)
        f'<li id="attempt-nav-{p}"{swap}><a href="{escape(question_url)}{p}/" class="{classes}"{step}>{p}'
        f'<span class="visually-hidden">: {state}{flagged[0]}</span>{mark}{flagged[1]}</a></li>'
    )
