"""One factory per model (CONVENTIONS.md: tests). Derived fields come from the real services."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from cohorts.models import Cohort, Membership
from content.models import Course, Module, Objective, StudiedObjective
from content.services import objective_render
from portal.models import User
from progress import scheduling
from progress.models import CardState, ReviewEvent
from quizzes.models import Attempt, AttemptQuestion, AttemptStep, Choice, Question, Quiz, Tag
from quizzes.services.bank import question_render, question_snapshot
from quizzes.validation import ChoiceData

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    order = factory.Sequence(int)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda m: f"9.{m.order}")
    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "What this module covers."


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    module = factory.SubFactory(ModuleFactory)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"{o.module.code}.{o.order}")
    prompt = factory.Sequence(lambda n: f"Define term {n}")
    note_md = "- A first point about escalation\n- A second point\n"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        objective = model_class(*args, **kwargs)
        objective_render(objective)
        objective.save()
        return objective


class StudiedObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudiedObjective

    user = factory.SubFactory(UserFactory)
    objective = factory.SubFactory(ObjectiveFactory)


# Choices for each kind of question, as an author writes them (ChoiceData: text, match_text, fraction).
KIND_CHOICES = {
    Question.Kind.SINGLE: [
        ChoiceData("Number of staff", fraction=Decimal(1), feedback="Right: staffing is not in an SLA."),
        ChoiceData("Response time", feedback="It is part of an SLA."),
        ChoiceData("Uptime", feedback="It is part of an SLA."),
    ],
    Question.Kind.MULTIPLE: [
        ChoiceData("Response time", fraction=Decimal("0.5")),
        ChoiceData("Uptime", fraction=Decimal("0.5")),
        ChoiceData("Staff count", fraction=Decimal("-0.5")),
        ChoiceData("Desk colour", fraction=Decimal("-0.5")),
    ],
    Question.Kind.TRUE_FALSE: [ChoiceData("True", fraction=Decimal(1)), ChoiceData("False")],
    Question.Kind.MATCHING: [
        ChoiceData("Functional", "Lateral", Decimal(1)),
        ChoiceData("Hierarchical", "Upwards", Decimal(1)),
        ChoiceData("Number of types", "Two", Decimal(1)),
        ChoiceData("", "Sideways"),  # a distractor answer
    ],
    Question.Kind.ORDERING: [
        ChoiceData("Identify", order=1),
        ChoiceData("Log", order=2),
        ChoiceData("Categorize", order=3),
        ChoiceData("Prioritize", order=4),
    ],
}


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"tag-{n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question of `kind` with the usual choices of its kind (or `choices=[ChoiceData, ...]`)."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    objective = factory.SubFactory(ObjectiveFactory)
    kind = Question.Kind.SINGLE
    idnumber = factory.Sequence(lambda n: f"q-{n}")
    title = factory.Sequence(lambda n: f"Question {n}")
    stem = factory.Sequence(lambda n: f"Question {n}: which is NOT part of an SLA?")
    explanation = "Objective: as the note says."

    @classmethod
    def _create(cls, model_class, *args, choices=None, **kwargs):
        question = model_class(*args, **kwargs)
        rows = [
            Choice(text=c.text, match_text=c.match_text, fraction=c.fraction, feedback=c.feedback, order=c.order or i)
            for i, c in enumerate(KIND_CHOICES[question.kind] if choices is None else choices)
        ]
        question_render(question=question, choices=rows)
        question.save()
        for choice in rows:
            choice.question = question
        Choice.objects.bulk_create(rows)
        return question


class ChoiceFactory(factory.django.DjangoModelFactory):
    """A further choice of an existing question (rendered by the question's one render service)."""

    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Option {n}")
    fraction = Decimal(0)
    order = factory.Sequence(int)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        choice = model_class(*args, **kwargs)
        question_render(question=choice.question, choices=[choice])
        choice.save()
        return choice


class QuizFactory(factory.django.DjangoModelFactory):
    """A module quiz of a new module (traits: `final`, `practice`)."""

    class Meta:
        model = Quiz

    slug = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.Sequence(lambda n: f"Quiz {n}")
    kind = Quiz.Kind.MODULE
    module = factory.SubFactory(ModuleFactory)
    question_count = 5

    class Params:
        final = factory.Trait(kind=Quiz.Kind.FINAL, module=None, question_count=50)
        practice = factory.Trait(kind=Quiz.Kind.PRACTICE, module=None, owner=factory.SubFactory(UserFactory))


class AttemptFactory(factory.django.DjangoModelFactory):
    """An attempt in progress with a snapshot of each of `questions` (trait `finished`: graded, with
    `credits`, one per question, or all right)."""

    class Meta:
        model = Attempt
        skip_postgeneration_save = True

    quiz = factory.SubFactory(QuizFactory)
    user = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: n + 1)
    feedback_mode = factory.LazyAttribute(lambda a: a.quiz.feedback_mode)
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=20))

    class Params:
        finished = factory.Trait(
            state=Attempt.State.FINISHED,
            finished_at=factory.LazyAttribute(lambda a: a.started_at + timedelta(minutes=10)),
            score=Decimal(0),
            passed=False,
        )

    @factory.post_generation
    def questions(attempt, create, extracted, credits=None, **kwargs):
        if not create or not extracted:
            return
        slots = AttemptQuestion.objects.bulk_create(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                question=question,
                objective=question.objective,
                snapshot=question_snapshot(question),
            )
            for position, question in enumerate(extracted, start=1)
        )
        if attempt.is_finished:
            credits = [Decimal(c) for c in credits] if credits is not None else [Decimal(1)] * len(slots)
            for slot, credit in zip(slots, credits, strict=True):
                slot.credit, slot.response, slot.answered_at = credit, {}, attempt.finished_at
            AttemptQuestion.objects.bulk_update(slots, ["credit", "response", "answered_at"])
            attempt.score = (sum(credits, Decimal(0)) / len(slots)).quantize(Decimal("0.0001"))
            attempt.passed = attempt.score * 100 >= attempt.quiz.pass_mark
            attempt.save(update_fields=["score", "passed"])


class AttemptQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttemptQuestion

    attempt = factory.SubFactory(AttemptFactory)
    position = factory.Sequence(lambda n: n + 1)
    question = factory.SubFactory(QuestionFactory)
    objective = factory.LazyAttribute(lambda s: s.question.objective)
    snapshot = factory.LazyAttribute(lambda s: question_snapshot(s.question))


class AttemptStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttemptStep

    attempt = factory.SubFactory(AttemptFactory)
    action = "start"
    at = factory.LazyFunction(timezone.now)


class ReviewEventFactory(factory.django.DjangoModelFactory):
    """A flashcard rating of 3 ("Good"); `confidence` gives the scheduler's rating as the deck maps it."""

    class Meta:
        model = ReviewEvent

    user = factory.SubFactory(UserFactory)
    objective = factory.SubFactory(ObjectiveFactory)
    source = ReviewEvent.Source.FLASHCARD
    confidence = 3
    rating = factory.LazyAttribute(lambda e: int(scheduling.CONFIDENCE_TO_RATING[e.confidence]))
    reviewed_at = factory.LazyFunction(timezone.now)


class CardStateFactory(factory.django.DjangoModelFactory):
    """The state its events give: derived, as the service derives it, from one review event."""

    class Meta:
        model = CardState

    user = factory.SubFactory(UserFactory)
    objective = factory.SubFactory(ObjectiveFactory)

    @classmethod
    def _create(cls, model_class, *args, user, objective, **kwargs):
        event = ReviewEventFactory(user=user, objective=objective, **kwargs)
        return model_class.objects.create(user=user, objective=objective, **scheduling.derive(objective.pk, [event]))


class CohortFactory(factory.django.DjangoModelFactory):
    """A cohort; `instructors=[user, ...]` adds its instructors."""

    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cohort {n}")

    @factory.post_generation
    def instructors(cohort, create, extracted, **kwargs):
        if create and extracted:
            cohort.instructors.add(*extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    """An active learner of a cohort (state=... for one who left or was removed)."""

    class Meta:
        model = Membership

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    joined_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    changed_at = factory.LazyAttribute(lambda m: m.joined_at)
