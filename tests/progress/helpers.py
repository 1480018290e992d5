"""Helpers of the progress tests: a course of n cards, and a history of reviews with its card states."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from progress.models import ReviewEvent
from tests.factories import CourseFactory, ModuleFactory, ObjectiveFactory


def course_cards(n):
    """One module of the core course with n cards."""
    course = CourseFactory(slug="process-and-procedures")
    module = ModuleFactory(course=course, code="5.1", order=1)
    return [ObjectiveFactory(module=module, code=f"5.1.{i}", order=i) for i in range(1, n + 1)]


def review_history(user, objectives, n):
    """n flashcard reviews (rated 3, 8 s each) an hour apart from 60 days ago, round the cards; card states rebuilt."""
    start = timezone.now() - timedelta(days=60)
    ReviewEvent.objects.bulk_create(
        ReviewEvent(user=user, objective=objectives[i % len(objectives)], source="flashcard", confidence=3, rating=3,
                    duration_ms=8000, reviewed_at=start + timedelta(hours=i))
        for i in range(n)
    )  # fmt: skip
    call_command("rebuild_card_states", stdout=io.StringIO())
