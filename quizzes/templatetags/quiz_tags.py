import html

from django import template
from django.utils.html import strip_tags

from quizzes.models import Question

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or None (templates cannot index a dict by a variable)."""
    return mapping.get(key) if mapping else None


@register.filter
def duration_words(value) -> str:
    """A timedelta as "12 min 5 s" (or "1 h 2 min")."""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


@register.simple_tag
def question_kinds():
    """`Question.Kind`, for templates: `{% question_kinds as Kind %}` then `snapshot.kind == Kind.SINGLE`."""
    return Question.Kind


@register.filter
def as_text(fragment: str) -> str:
    """The text of sanitized HTML, for places that hold text only (an <option>): tags dropped and
    entities decoded, so that the template's autoescape encodes it exactly once."""
    return html.unescape(strip_tags(fragment))
