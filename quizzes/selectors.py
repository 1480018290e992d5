"""Reads of the quiz engine. Each selector scopes to the learner: a learner sees only their own work."""

from collections import defaultdict
from decimal import Decimal
from uuid import UUID

from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from portal.models import User
from quizzes.models import Attempt, AttemptQuestion, AttemptStep, Question, Quiz


def attempt_get_for_user(*, user: User, uuid: str) -> Attempt:
    """The learner's own attempt, or 404 (another learner's attempt is "not found", not "forbidden").

    `regraded_at`: when the attempt was last regraded (its latest "regrade" step), or None.
    """
    try:
        key = UUID(str(uuid))
    except ValueError:
        raise Http404 from None
    last_regrade = AttemptStep.objects.filter(attempt=OuterRef("pk"), action="regrade").order_by("-at", "-pk")
    attempt = (
        Attempt.objects.select_related("quiz__module")
        .annotate(regraded_at=Subquery(last_regrade.values("at")[:1]))
        .filter(uuid=key, user=user)
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def quiz_get_for_user(*, user: User, slug: str) -> Quiz:
    """A course quiz, or the learner's own practice quiz; 404 otherwise."""
    quiz = Quiz.objects.select_related("module").filter(Q(owner=None) | Q(owner=user), slug=slug).first()
    if quiz is None:
        raise Http404
    return quiz


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
    quizzes = list(Quiz.objects.filter(owner=None).select_related("module").order_by("kind", "module__order"))
    attempts = defaultdict(list)
    for attempt in Attempt.objects.filter(user=user, quiz__owner=None).order_by("number"):
        attempts[attempt.quiz_id].append(attempt)
    for quiz in quizzes:
        quiz.my_attempts = attempts[quiz.pk]
        quiz.grade = quiz_grade(quiz.my_attempts, quiz.grading_method)
        quiz.in_progress = next((a for a in quiz.my_attempts if not a.is_finished), None)
    return quizzes


def attempt_slots(*, attempt: Attempt) -> list[AttemptQuestion]:
    return list(attempt.slots.select_related("objective").order_by("position"))


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
    """The learner's latest finished attempts at course quizzes and practice."""
    return list(
        Attempt.objects.filter(user=user, state=Attempt.State.FINISHED)
        .select_related("quiz")
        .order_by("-finished_at")[:limit]
    )
