"""Fixtures of the progress tests."""

import pytest

from tests.factories import CourseFactory, ModuleFactory, ObjectiveFactory


@pytest.fixture
def deck(db):
    """Two modules of the core course with three cards each."""
    course = CourseFactory(slug="process-and-procedures")
    objectives = []
    for m in (1, 2):
        module = ModuleFactory(course=course, code=f"5.{m}", order=m)
        objectives += [ObjectiveFactory(module=module, code=f"5.{m}.{o}", order=o) for o in (1, 2, 3)]
    return objectives
