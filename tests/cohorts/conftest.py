"""The cohort cast: an instructor of the cohort (the standard `instructor`), an instructor of another
cohort, a learner of the cohort (`learner`), a learner outside it (`other_learner`), a superuser."""

import pytest

from tests.conftest import make_instructor
from tests.factories import (
    CohortFactory,
    CourseFactory,
    MembershipFactory,
    ModuleFactory,
    ObjectiveFactory,
    QuizFactory,
)


@pytest.fixture
def other_instructor(db):
    return make_instructor("other.instructor@example.com")


@pytest.fixture
def cohort(instructor):
    return CohortFactory(name="Spring cohort", instructors=[instructor])


@pytest.fixture
def other_cohort(other_instructor):
    return CohortFactory(name="Autumn cohort", instructors=[other_instructor])


@pytest.fixture
def membership(cohort, learner):
    return MembershipFactory(cohort=cohort, user=learner)


@pytest.fixture
def core(db):
    """A small core course: modules 5.1 and 5.2 with two cards each, their module quizzes and a final exam."""
    course = CourseFactory(slug="process-and-procedures")
    modules = []
    for order in (1, 2):
        module = ModuleFactory(course=course, code=f"5.{order}", title=f"Module 5.{order}", order=order)
        for n in (1, 2):
            ObjectiveFactory(module=module, code=f"5.{order}.{n}", order=n)
        module.quiz = QuizFactory(slug=f"quiz-5-{order}", module=module, pass_mark=70)
        modules.append(module)
    QuizFactory(slug="final", final=True, pass_mark=70)
    return modules


@pytest.fixture
def questions(core):
    """Two single-answer questions on each module's first card (so each module quiz draws two)."""
    from content.models import Objective
    from tests.factories import QuestionFactory

    return [QuestionFactory(objective=Objective.objects.get(code=f"{m.code}.1")) for m in core for _ in range(2)]
