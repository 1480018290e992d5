"""Reads of the content library. Each selector owns its joins and annotations."""

import difflib
import re
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Count, Exists, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.expressions import Expression, RawSQL
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from content.models import Course, Module, Objective, StudiedObjective
from portal.models import User

SEARCH_MAX_LENGTH = 200
SEARCH_MAX_RESULTS = 50
_MARK_START, _MARK_STOP = "\ue000", "\ue001"  # private-use characters: never in course text


class _Count(Func):
    """COUNT(*) as a plain function, not an aggregate: a subquery of it has no GROUP BY and gives one
    row, 0 when nothing matches, so it needs no Coalesce around it."""

    function = "COUNT"
    template = "%(function)s(*)"
    output_field = IntegerField()


def _studied_count(user: User, path: str) -> Subquery:
    """How many objectives under the outer row (`path`: from a studied mark to the row) the learner has
    marked studied: a subquery over the learner's own marks (a mark is unique per learner and objective).
    A join to every learner's marks, filtered in the count, multiplied each row by the whole cohort's
    marks (15 ms for the course page with 500 learners). Neither an aggregate nor wrapped in Coalesce:
    either would put the subquery itself into the outer query's GROUP BY, run once for every objective
    joined instead of once a row (14 ms of PostgreSQL for a list of the two courses)."""
    marks = StudiedObjective.objects.filter(user=user, **{path: OuterRef("pk")}).order_by()
    return Subquery(marks.annotate(n=_Count()).values("n"), output_field=IntegerField())


def modules_with_progress(*, course: Course, user: User) -> QuerySet[Module]:
    """The course's modules with `objective_count` and the learner's `studied_count`."""
    return (
        Module.objects.filter(course=course)
        .annotate(objective_count=Count("objectives"), studied_count=_studied_count(user, "objective__module"))
        .order_by("order")
    )


def module_get(*, code: str) -> Module:
    return get_object_or_404(Module.objects.select_related("course"), code=code)


def objective_get(*, code: str) -> Objective:
    return get_object_or_404(Objective.objects.select_related("module__course"), code=code)


def _is_studied(user: User) -> Exists:
    return Exists(StudiedObjective.objects.filter(user=user, objective=OuterRef("pk")))


def module_objectives(*, module: Module, user: User) -> QuerySet[Objective]:
    """The module's objectives in order with the learner's `is_studied` mark (one query)."""
    return module.objectives.order_by("order").annotate(is_studied=_is_studied(user))


def objective_page_get(*, code: str, user: User) -> Objective:
    """The objective with its module, course and the learner's `is_studied` mark (one query; the note
    as HTML only)."""
    objectives = Objective.objects.select_related("module__course").defer("note_md", "note_text")
    return get_object_or_404(objectives.annotate(is_studied=_is_studied(user)), code=code)


class Neighbour(NamedTuple):
    """A previous / next link: the code, the title and where it goes."""

    code: str
    title: str
    url: str


def _neighbours(rows: list[tuple[str, str]], code: str, url_name: str) -> tuple[Neighbour | None, Neighbour | None]:
    """The rows (code, title) before and after `code` in `rows`, as links (None at either end)."""
    index = [row_code for row_code, _ in rows].index(code)

    def link(i: int) -> Neighbour | None:
        if not 0 <= i < len(rows):
            return None
        row_code, title = rows[i]
        return Neighbour(row_code, title, reverse(url_name, kwargs={"code": row_code}))

    return link(index - 1), link(index + 1)


def module_neighbours(*, module: Module) -> tuple[Neighbour | None, Neighbour | None]:
    """The modules before and after `module` in its course (one query of codes and titles)."""
    rows = list(Module.objects.filter(course_id=module.course_id).order_by("order").values_list("code", "title"))
    return _neighbours(rows, module.code, "content:module")


def objective_neighbours(*, objective: Objective) -> tuple[Neighbour | None, Neighbour | None]:
    """The objectives before and after `objective` in its course's reading order (one query of codes
    and prompts)."""
    rows = list(
        Objective.objects.filter(module__course_id=objective.module.course_id)
        .order_by("module__order", "order")
        .values_list("code", "prompt")
    )
    return _neighbours(rows, objective.code, "content:objective")


@dataclass(frozen=True)
class SearchHit:
    objective: Objective
    prompt_html: SafeString
    snippet_html: SafeString


def _terms(query: str) -> list[str]:
    return re.findall(r"\w[\w'’-]*", query)[:10]


def _marks_to_html(text: str) -> SafeString:
    # Safe: the text is escaped first; only our own private-use markers become tags.
    return mark_safe(escape(text).replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>"))  # noqa: S308


class _SearchDocument(Expression):
    """The objective's search document: its prompt (weight A) and note text (B), English stemming,
    stored by PostgreSQL as a generated column with a GIN index (migration content 0004; not a
    model field)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(Objective._meta.db_table)}.search_document", []


def objectives_search(*, query: str, any_word: bool = False) -> list[SearchHit]:
    """Objectives whose prompt or note matches `query`, best first, with the match in context.

    Words match by their stem ("escalate" finds "escalation"); every word must match, or with
    `any_word` at least one (more matching words rank higher). A match in the prompt outranks one
    in the note.
    PostgreSQL: full text search (English stemming, web-search syntax, ranked, `ts_headline`).
    SQLite: FTS5 with the Porter stemmer (migration content 0003), ranked by bm25, FTS5's snippet.
    """
    query = query.strip()[:SEARCH_MAX_LENGTH]
    terms = _terms(query)
    if not terms:
        return []
    # A hit shows the objective's code, prompt and module: its note is matched and quoted in SQL, never read.
    base = Objective.objects.select_related("module").defer("note_md", "note_html", "note_text")
    if connection.vendor == "postgresql":
        vector = _SearchDocument()
        text = " or ".join(terms) if any_word else query
        search_query = SearchQuery(text, search_type="websearch", config="english")
        rows = (
            base.alias(document=vector)  # matched on, not selected (a tsvector of the whole note)
            .annotate(
                rank=SearchRank(vector, search_query),
                prompt_marked=SearchHeadline(
                    "prompt",
                    search_query,
                    config="english",
                    start_sel=_MARK_START,
                    stop_sel=_MARK_STOP,
                    highlight_all=True,
                ),
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
            SearchHit(o, _marks_to_html(o.prompt_marked), _marks_to_html(o.headline.replace("\n", " · "))) for o in rows
        ]
    return [
        SearchHit(o, _marks_to_html(o.prompt_marked), _marks_to_html(o.snippet.replace("\n", " · ")))
        for o in _sqlite_search(base, _fts_query(terms, any_word=any_word))
    ]


# SQLite: the FTS5 index of migration content 0003 (Porter stemming), ranked by bm25 with a match in
# the prompt worth ten in the note (PostgreSQL's weights A and B do the same). One query: the match
# filters the objectives, and correlated subqueries give each hit its rank, prompt and snippet.
_FTS_ROW = "FROM content_objective_fts WHERE content_objective_fts MATCH %s AND rowid = content_objective.id"
_FTS_MATCHES = "SELECT rowid FROM content_objective_fts WHERE content_objective_fts MATCH %s"
_FTS_RANK = "SELECT bm25(content_objective_fts, 10.0, 1.0) " + _FTS_ROW  # weights: prompt, note_text
_FTS_PROMPT = "SELECT highlight(content_objective_fts, 0, %s, %s) " + _FTS_ROW
_FTS_SNIPPET = "SELECT snippet(content_objective_fts, 1, %s, %s, '…', 32) " + _FTS_ROW


def _fts_query(terms: list[str], *, any_word: bool = False) -> str:
    """The terms as FTS5 strings: each one double-quoted (inner quotes doubled), so no user text is
    ever an operator (AND, OR, NOT, NEAR, parentheses, column filters, `*`, `^`); all must match,
    or with `any_word` any of them."""
    return (" OR " if any_word else " ").join('"' + term.replace('"', '""') + '"' for term in terms)


def _sqlite_search(base: QuerySet[Objective], match: str) -> QuerySet[Objective]:
    # Constant SQL: the user's words reach it only as the bound FTS5 query string `match`.
    marks = [_MARK_START, _MARK_STOP]
    return (
        base.filter(id__in=RawSQL(_FTS_MATCHES, [match]))  # noqa: S611
        .annotate(
            rank=RawSQL(_FTS_RANK, [match]),  # noqa: S611
            prompt_marked=RawSQL(_FTS_PROMPT, [*marks, match]),  # noqa: S611
            snippet=RawSQL(_FTS_SNIPPET, [*marks, match]),  # noqa: S611
        )
        .order_by("rank", "module__course__order", "module__order", "order")[:SEARCH_MAX_RESULTS]  # lower is better
    )


def search_suggestion(*, query: str) -> str | None:
    """For a search that found nothing: the query with each word the library does not have replaced
    by its closest library word (difflib over the prompts' and notes' words), if that finds something.

    Two queries, and only on the no-results page: the words of every objective (the library is a few
    thousand distinct words), then the suggested search.
    """
    terms = _terms(query.strip()[:SEARCH_MAX_LENGTH])
    if not terms:
        return None
    words: set[str] = set()
    for prompt, note_text in Objective.objects.values_list("prompt", "note_text"):
        words.update(w.lower() for w in re.findall(r"[^\W\d_]{3,}", f"{prompt} {note_text}"))
    vocabulary = sorted(words)
    suggested = []
    for term in terms:
        lowered = term.lower()
        close = [] if lowered in words else difflib.get_close_matches(lowered, vocabulary, n=1, cutoff=0.8)
        suggested.append(close[0] if close else term)
    suggestion = " ".join(suggested)
    if suggestion.lower() == " ".join(terms).lower() or not objectives_search(query=suggestion):
        return None
    return suggestion


def courses_list() -> QuerySet[Course]:
    return Course.objects.only("slug", "title")
