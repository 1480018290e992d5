from django import template

from cohorts.presentation import level_class

register = template.Library()


@register.filter
def level(value: int | None) -> str:
    """The colour class of a percentage (text is always shown too)."""
    return level_class(value)
