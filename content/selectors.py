"""Reads of the content library. Each selector owns its joins and annotations."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from content.models import Course, Module, Objective, StudiedObjective
from portal.models import User

SEARCH_MAX_LENGTH = 200
SEARCH_MAX_RESULTS = 50
_MARK_START, _MARK_STOP = "\ue000", "\ue001"  # private-use characters: never in course text


def courses_with_progress(*, user: User) -> QuerySet[Course]:
    """Courses with `module_count`, `objective_count` and the learner's `studied_count`."""
    return Course.objects.annotate(
        module_count=Count("modules", distinct=True),
        objective_count=Count("modules__objectives", distinct=True),
        studied_count=Count(
            "modules__objectives__studied_marks",
            filter=Q(modules__objectives__studied_marks__user=user),
            distinct=True,
        ),
    )


def modules_with_progress(*, course: Course, user: User) -> QuerySet[Module]:
    """The course's modules with `objective_count` and the learner's `studied_count`."""
    return (
        Module.objects.filter(course=course)
        .annotate(
            objective_count=Count("objectives", distinct=True),
            studied_count=Count(
                "objectives__studied_marks", filter=Q(objectives__studied_marks__user=user), distinct=True
            ),
        )
        .order_by("order")
    )


def studied_codes(*, user: User, objective_ids=None) -> set[str]:
    """Codes of the objectives the learner has marked studied (optionally among `objective_ids`)."""
    rows = StudiedObjective.objects.filter(user=user)
    if objective_ids is not None:
        rows = rows.filter(objective_id__in=objective_ids)
    return set(rows.values_list("objective__code", flat=True))


def module_get(*, code: str) -> Module:
    return get_object_or_404(Module.objects.select_related("course"), code=code)


def objective_get(*, code: str) -> Objective:
    return get_object_or_404(Objective.objects.select_related("module__course"), code=code)


def neighbours(items: list, current) -> tuple:
    """The items before and after `current` in `items` (None at either end)."""
    index = items.index(current)
    return (items[index - 1] if index > 0 else None, items[index + 1] if index + 1 < len(items) else None)


def course_modules(*, course: Course) -> list[Module]:
    """The course's modules in order, light: for previous / next links."""
    return list(Module.objects.filter(course=course).only("code", "title", "order").order_by("order"))


def course_objectives(*, course: Course) -> list[Objective]:
    """The course's objectives in reading order, light: for previous / next links."""
    return list(
        Objective.objects.filter(module__course=course)
        .only("code", "prompt", "order", "module__order")
        .order_by("module__order", "order")
    )


@dataclass(frozen=True)
class SearchHit:
    objective: Objective
    prompt_html: SafeString
    snippet_html: SafeString


def _terms(query: str) -> list[str]:
    return re.findall(r"\w[\w'’-]*", query)[:10]


def _highlight(text: str, terms: list[str]) -> SafeString:
    """Escape `text` and wrap each occurrence of a term in <mark>."""
    if terms:
        pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
        text = pattern.sub(lambda m: f"{_MARK_START}{m.group(0)}{_MARK_STOP}", text)
    return _marks_to_html(text)


def _marks_to_html(text: str) -> SafeString:
    # Safe: the text is escaped first; only our own private-use markers become tags.
    return mark_safe(escape(text).replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>"))  # noqa: S308


def _context(text: str, terms: list[str], width: int = 90) -> str:
    """A window of `text` around the first occurrence of any term."""
    lowered = text.lower()
    found = [i for i in (lowered.find(t.lower()) for t in terms) if i >= 0]
    start = max(0, min(found) - width) if found else 0
    end = min(len(text), start + 2 * width + 40)
    return ("…" if start else "") + text[start:end].replace("\n", " · ") + ("…" if end < len(text) else "")


def objectives_search(*, query: str) -> list[SearchHit]:
    """Objectives whose prompt or note matches `query`, best first, with the match in context.

    PostgreSQL: full text search (English stemming, web-search syntax, ranked, `ts_headline`).
    SQLite: every word must appear in the prompt or the note (case-insensitive).
    """
    query = query.strip()[:SEARCH_MAX_LENGTH]
    terms = _terms(query)
    if not terms:
        return []
    base = Objective.objects.select_related("module")
    if connection.vendor == "postgresql":
        vector = SearchVector("prompt", weight="A", config="english") + SearchVector(
            "note_text", weight="B", config="english"
        )
        search_query = SearchQuery(query, search_type="websearch", config="english")
        rows = (
            base.annotate(
                document=vector,
                rank=SearchRank(vector, search_query),
                headline=SearchHeadline(
                    "note_text",
                    search_query,
                    config="english",
                    start_sel=_MARK_START,
                    stop_sel=_MARK_STOP,
                    max_words=35,
                    min_words=15,
                ),
            )
            .filter(document=search_query)  # the query matches (a rank above 0 alone let 1e-20 through)
            .order_by("-rank", "module__course__order", "module__order", "order")[:SEARCH_MAX_RESULTS]
        )
        return [
            SearchHit(o, _highlight(o.prompt, terms), _marks_to_html(o.headline.replace("\n", " · "))) for o in rows
        ]
    condition = Q()
    for term in terms:
        condition &= Q(prompt__icontains=term) | Q(note_text__icontains=term)
    rows = base.filter(condition).order_by("module__course__order", "module__order", "order")[:SEARCH_MAX_RESULTS]
    return [SearchHit(o, _highlight(o.prompt, terms), _highlight(_context(o.note_text, terms), terms)) for o in rows]
