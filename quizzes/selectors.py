"""Reads of the quiz engine. Each selector scopes to the learner: a learner sees only their own work."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.http import Http404
from django.utils.html import strip_tags

from portal.models import User
from quizzes.models import Attempt, AttemptQuestion, AttemptStep, Question, Quiz
from quizzes.statistics import AttemptMarks, QuizStatistics, SlotInfo, SlotStatistics, item_flags, quiz_statistics


def attempt_get_for_user(*, user: User, uuid: str, regraded_at: bool = False) -> Attempt:
    """The learner's own attempt with its quiz, or 404 (another learner's attempt is "not found", not
    "forbidden").

    With `regraded_at`, the attempt carries when it was last regraded (its latest "regrade" step), or
    None (the result page shows it). The query has no ORDER BY: an attempt's default ordering follows
    its quiz's (kind, module order), a join to the modules for one row.
    """
    try:
        key = UUID(str(uuid))
    except ValueError:
        raise Http404 from None
    attempts = Attempt.objects.select_related("quiz").filter(uuid=key, user=user).order_by()
    if regraded_at:
        last_regrade = AttemptStep.objects.filter(attempt=OuterRef("pk"), action="regrade").order_by("-at", "-pk")
        attempts = attempts.annotate(regraded_at=Subquery(last_regrade.values("at")[:1]))
    attempt = next(iter(attempts), None)  # the uuid is unique: at most one row
    if attempt is None:
        raise Http404
    attempt.user = user  # it is theirs: no query to read it again
    return attempt


def quiz_get_for_user(*, user: User, slug: str) -> Quiz:
    """A course quiz, or the learner's own practice quiz; 404 otherwise."""
    quizzes = Quiz.objects.select_related("module").filter(Q(owner=None) | Q(owner=user), slug=slug).order_by()
    quiz = next(iter(quizzes), None)  # the slug is unique; no ordering (its joins) for one row
    if quiz is None:
        raise Http404
    return quiz


def practice_in_progress(*, user: User) -> Attempt | None:
    """The learner's practice attempt in progress, if any."""
    return Attempt.objects.filter(user=user, quiz__kind=Quiz.Kind.PRACTICE, state=Attempt.State.IN_PROGRESS).first()


def questions_in_progress(*, user: User) -> set[int]:
    """Questions of the learner's attempts in progress: no review may show their answers yet."""
    return set(
        AttemptQuestion.objects.filter(attempt__user=user, attempt__state=Attempt.State.IN_PROGRESS)
        .exclude(question=None)
        .values_list("question_id", flat=True)
    )


def quiz_grade(attempts: list[Attempt], method: str) -> Decimal | None:
    """The quiz grade from the learner's finished attempts by the quiz's grading method."""
    scores = [a.score for a in sorted(attempts, key=lambda a: a.number) if a.is_finished and a.score is not None]
    if not scores:
        return None
    if method == Quiz.GradingMethod.LAST:
        return scores[-1]
    if method == Quiz.GradingMethod.FIRST:
        return scores[0]
    if method == Quiz.GradingMethod.AVERAGE:
        return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.0001"))
    return max(scores)


def quizzes_with_grades(*, user: User) -> list[Quiz]:
    """The course quizzes, each with the learner's `attempts`, `grade` and `in_progress` attempt."""
    quizzes = list(  # ordered by their modules' places, which the list does not show: joined, not read
        Quiz.objects.filter(owner=None)
        .only("slug", "title", "kind", "question_count", "grading_method")
        .order_by("kind", "module__course__order", "module__order")
    )
    attempts = defaultdict(list)
    mine = Attempt.objects.filter(user=user, quiz__owner=None).only("quiz_id", "number", "state", "score")
    for attempt in mine.order_by("number"):
        attempts[attempt.quiz_id].append(attempt)
    for quiz in quizzes:
        quiz.my_attempts = attempts[quiz.pk]
        quiz.grade = quiz_grade(quiz.my_attempts, quiz.grading_method)
        quiz.in_progress = next((a for a in quiz.my_attempts if not a.is_finished), None)
    return quizzes


def attempt_slots(*, attempt: Attempt) -> list[AttemptQuestion]:
    """The attempt's questions in order, with their objectives (without their notes: a review links to
    them, it does not show them)."""
    objectives = attempt.slots.select_related("objective").defer(
        "objective__note_md", "objective__note_html", "objective__note_text"
    )
    return list(objectives.order_by("position"))


class NavSlot(NamedTuple):
    """A question of an attempt as the question page's navigation shows it (`presentation.nav_item`)."""

    position: int
    is_answered: bool
    credit: Decimal | None
    flagged: bool


def attempt_slots_for_question(*, attempt: Attempt, position: int) -> tuple[AttemptQuestion | None, list[NavSlot]]:
    """The question at `position` (with its snapshot and `objective_code`), and every question of the
    attempt in order for the navigation (position, answered, credit, flag), in one query of values:
    the other questions' snapshots (a few kilobytes of JSON each) and answers are not read, and no model
    instance is built but the shown one."""
    shown = Q(position=position)
    rows = attempt.slots.order_by("position").values_list(
        "position",
        ExpressionWrapper(Q(response__isnull=False), output_field=BooleanField()),
        "credit",
        "flagged",
        Case(When(shown, then="pk")),
        Case(When(shown, then="snapshot"), output_field=JSONField()),
        Case(When(shown, then="response"), output_field=JSONField()),
        Case(When(shown, then="certainty")),
        Case(When(shown, then="objective__code")),
    )
    slot, nav = None, []
    for number, answered, credit, flagged, pk, snapshot, response, certainty, objective_code in rows:
        nav.append(NavSlot(number, answered, credit, flagged))
        if number == position:
            slot = AttemptQuestion(
                pk=pk, attempt=attempt, position=number, snapshot=snapshot, response=response,
                credit=credit, certainty=certainty, flagged=flagged,
            )  # fmt: skip
            slot.objective_code = objective_code
    return slot, nav


def attempt_counts(*, attempt: Attempt) -> tuple[int, int]:
    """How many questions the attempt has, and how many of them are answered: one aggregate."""
    counts = attempt.slots.order_by().aggregate(
        total=Count("pk"), answered=Count("pk", filter=Q(response__isnull=False))
    )
    return counts["total"], counts["answered"]


def wrong_questions(*, user: User) -> QuerySet[Question]:
    """Active questions the learner answered wrongly (less than full credit) in a finished attempt."""
    missed = AttemptQuestion.objects.filter(
        attempt__user=user, attempt__state=Attempt.State.FINISHED, credit__lt=1, question__isnull=False
    ).values("question_id")
    return Question.objects.filter(pk__in=missed, is_active=True)


def weakest_objectives(*, user: User, limit: int = 5):
    """The objectives with the lowest average credit in the learner's finished attempts (an attempt in
    progress may not reveal its grades yet)."""
    from content.models import Objective

    rows = (
        AttemptQuestion.objects.filter(attempt__user=user, attempt__state=Attempt.State.FINISHED, credit__isnull=False)
        .values("objective_id")
        .annotate(average=Avg("credit"), answers=Count("pk"))
        .filter(average__lt=1)
        .order_by("average", "objective_id")[:limit]
    )
    ids = [row["objective_id"] for row in rows]
    return sorted(Objective.objects.filter(pk__in=ids), key=lambda o: ids.index(o.pk))


def module_breakdown(*, slots: list[AttemptQuestion]) -> list[dict]:
    """Per module of the slots' objectives: questions, credit earned and the share."""
    from content.models import Module

    totals: dict[int, list] = defaultdict(lambda: [0, Decimal(0)])
    for slot in slots:
        totals[slot.objective.module_id][0] += 1
        totals[slot.objective.module_id][1] += slot.credit or Decimal(0)
    modules = Module.objects.filter(pk__in=totals).order_by("order")
    return [
        {"module": m, "questions": totals[m.pk][0], "percent": round(totals[m.pk][1] * 100 / totals[m.pk][0])}
        for m in modules
    ]


def latest_results(*, user: User, limit: int = 5) -> list[Attempt]:
    """The learner's latest finished attempts at course quizzes and practice: the columns the dashboard
    shows (the attempt's and its quiz's other thirty were a third of the cost)."""
    return list(
        Attempt.objects.filter(user=user, state=Attempt.State.FINISHED)
        .select_related("quiz")
        .only("uuid", "score", "passed", "quiz__title")
        .order_by("-finished_at")[:limit]
    )


# Quiz statistics (docs/item-statistics.md: "The report of a quiz").

REPORT_ATTEMPTS = ("first", "last", "best", "all")


@dataclass(frozen=True)
class OptionShare:
    """How many of the attempts that had a question chose an option (single, multiple, true/false), or
    matched / placed an item right (matching, ordering); `share` is that count over the attempts.
    `fraction` is the option's credit (None for matching and ordering items)."""

    text: str
    count: int
    share: float
    fraction: Decimal | None


@dataclass(frozen=True)
class QuestionReport:
    """One question of the report: Moodle's statistics over the attempts that had it, its flags, its option shares."""

    question_id: int
    title: str
    stem: str
    objective_code: str
    kind: str
    stats: SlotStatistics
    flags: tuple[str, ...]
    options: tuple[OptionShare, ...]
    confidently_wrong: int = 0  # learners who answered it wrong while "very sure" (C3): a shared misconception


@dataclass(frozen=True)
class QuizReport:
    """The statistics of a quiz over the chosen finished attempts of some learners.

    `stats` is `quizzes.statistics.quiz_statistics` with one slot per question (keyed by question
    id, max mark 1, a mark = the credit). Its percentages are of the sum of all those questions;
    when attempts draw questions at random that is more than one attempt's total, so `mean_score`
    (the mean attempt score, 0 to 1) is the quiz's average grade.
    """

    quiz_id: int
    which: str
    learners: int
    attempts: int
    mean_score: float | None
    stats: QuizStatistics
    questions: tuple[QuestionReport, ...]

    def question(self, question_id: int) -> QuestionReport:
        for row in self.questions:
            if row.question_id == question_id:
                return row
        raise KeyError(question_id)


def _chosen_attempts(*, quiz: Quiz, which: str) -> Q:
    """Which finished attempt of each learner counts: a filter on AttemptQuestion rows."""
    if which == "all":
        return Q()
    order = {"first": ["number"], "last": ["-number"], "best": ["-score", "number"]}[which]
    chosen = Attempt.objects.filter(quiz=quiz, user=OuterRef("attempt__user"), state=Attempt.State.FINISHED)
    return Q(attempt_id=Subquery(chosen.order_by(*order).values("pk")[:1]))


def random_guess_score(snapshot: dict) -> float | None:
    """The credit expected from guessing this question, as Moodle defines it for the kind (0 to 1).

    - single answer, true/false: the mean of the options' credits (Moodle's qtype_multichoice for a
      single answer), which is 1/n for one right option out of n and 0.5 for true/false;
    - multiple response: the number of correct options over the number of options. This is the
      definition of the OU multiple response question type (qtype_oumultiresponse), whose grading is
      ours (the right options share +1, the wrong ones −1): the expected credit of a random guess
      when the learner knows how many options are right;
    - matching: 1 over the number of answers to choose from (Moodle's qtype_match);
    - ordering: None. There is no standard guess score for "pairs in the right order" grading.
    """
    kind, choices = snapshot["kind"], snapshot["choices"]
    if not choices:
        return None
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
        return float(sum(max(Decimal(0), Decimal(c["fraction"])) for c in choices) / len(choices))
    if kind == Question.Kind.MULTIPLE:
        return sum(1 for c in choices if Decimal(c["fraction"]) > 0) / len(choices)
    if kind == Question.Kind.MATCHING:
        return 1 / len(snapshot["answers"]) if snapshot["answers"] else None
    return None


def _right_items(snapshot: dict, response: dict | None) -> set[str]:
    """The texts of the items a matching or ordering response got right (an item matched to its own
    answer; an item in its correct position)."""
    if not response:
        return set()
    choices = {c["key"]: c for c in snapshot["choices"]}
    if snapshot["kind"] == Question.Kind.MATCHING:
        answers = {a["key"]: a["match_text"] for a in snapshot["answers"]}
        pairs = response.get("pairs", {})
        return {c["text"] for key, c in choices.items() if c["text"] and answers.get(pairs.get(key)) == c["match_text"]}
    ranked = sorted(choices, key=lambda k: choices[k]["order"])
    order = response.get("order", [])
    return {choices[k]["text"] for i, k in enumerate(order) if i < len(ranked) and ranked[i] == k and k in choices}


def _picked(snapshot: dict, response: dict | None) -> set[str]:
    if not response:
        return set()
    texts = {c["key"]: c["text"] for c in snapshot["choices"]}
    keys = [response["choice"]] if "choice" in response else response.get("choices", [])
    return {texts[k] for k in keys if k in texts}


def quiz_statistics_report(*, quiz: Quiz, user_ids, which: str = "first") -> QuizReport:
    """Moodle's quiz statistics for `quiz` over the finished attempts of the learners `user_ids`
    (ids, or a queryset of them): each learner's first attempt (`which="first"`, Moodle's default),
    last, best (highest score, the earlier on a tie) or all of them.

    One query (the chosen attempts' questions with their snapshots, responses and credits); the rest
    is computed in Python. Questions are the slots, keyed by question id: attempts draw questions at
    random, so each question's statistics are over the attempts that had it.
    """
    if which not in REPORT_ATTEMPTS:
        raise ValueError(f"which must be one of {', '.join(REPORT_ATTEMPTS)}")
    rows = (
        AttemptQuestion.objects.filter(
            _chosen_attempts(quiz=quiz, which=which),
            attempt__quiz=quiz,
            attempt__state=Attempt.State.FINISHED,
            attempt__user_id__in=user_ids,
        )
        .order_by("attempt_id", "position")
        .values("attempt_id", "attempt__user_id", "attempt__score", "credit", "certainty", "response", "snapshot")
        .annotate(title=F("question__title"), stem=F("question__stem"))
    )
    marks: dict[int, dict[int, float]] = defaultdict(dict)
    scores: dict[int, Decimal] = {}
    learners = set()
    latest: dict[int, dict] = {}  # question id -> the latest row that showed it (its snapshot, title, stem)
    shares: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    seen: dict[int, int] = defaultdict(int)  # question id -> the attempts that had it
    confidently_wrong: dict[int, set[int]] = defaultdict(set)  # question id -> learners wrong at C3
    for row in rows:
        snapshot = row["snapshot"]
        question_id = snapshot["question_id"]
        if question_id in marks[row["attempt_id"]]:
            continue  # a draw never repeats a question; were one repeated, its first showing counts
        marks[row["attempt_id"]][question_id] = float(row["credit"] or 0)  # unanswered is a mark of 0
        scores[row["attempt_id"]] = row["attempt__score"]
        learners.add(row["attempt__user_id"])
        latest[question_id] = row
        seen[question_id] += 1
        if row["certainty"] == 3 and row["credit"] is not None and row["credit"] <= 0:
            confidently_wrong[question_id].add(row["attempt__user_id"])
        kind = snapshot["kind"]
        chosen = (
            _right_items(snapshot, row["response"])
            if kind in (Question.Kind.MATCHING, Question.Kind.ORDERING)
            else _picked(snapshot, row["response"])
        )
        for text in chosen:
            shares[question_id][text] += 1
    slots = [
        SlotInfo(question_id, max_mark=1, random_guess_score=random_guess_score(row["snapshot"]))
        for question_id, row in sorted(latest.items())
    ]
    stats = quiz_statistics(slots, [AttemptMarks(m) for m in marks.values()])
    questions = []
    for question_stats in stats.slots:
        row = latest[question_stats.slot]
        snapshot = row["snapshot"]
        items = snapshot["kind"] in (Question.Kind.MATCHING, Question.Kind.ORDERING)
        options = tuple(
            OptionShare(
                text=c["text"],
                count=shares[question_stats.slot][c["text"]],
                share=shares[question_stats.slot][c["text"]] / seen[question_stats.slot],
                fraction=None if items else Decimal(c["fraction"]),
            )
            for c in sorted(snapshot["choices"], key=lambda c: (c["order"], c["text"]))
            if c["text"]  # a matching distractor answer is not an item
        )
        questions.append(
            QuestionReport(
                question_id=question_stats.slot,
                title=row["title"] or "",
                stem=row["stem"] if row["stem"] is not None else strip_tags(snapshot["stem_html"]).strip(),
                objective_code=snapshot["objective"],
                kind=snapshot["kind"],
                stats=question_stats,
                flags=item_flags(question_stats),
                options=options,
                confidently_wrong=len(confidently_wrong[question_stats.slot]),
            )
        )
    return QuizReport(
        quiz_id=quiz.pk,
        which=which,
        learners=len(learners),
        attempts=len(marks),
        mean_score=float(sum(scores.values()) / len(scores)) if scores else None,
        stats=stats,
        questions=tuple(questions),
    )
