"""Two cron runs of close_expired_attempts at once (two servers): each attempt is finished exactly once."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from progress.models import ReviewEvent
from quizzes.models import Attempt, AttemptStep, Quiz
from tests.concurrency import at_once, errors
from tests.factories import AttemptFactory, UserFactory
from tests.quizzes.helpers import make_quiz

N = 40


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_finish_each_expired_attempt_exactly_once(postgres_only, small_bank):
    quiz = make_quiz(small_bank, feedback_mode=Quiz.FeedbackMode.DEFERRED)
    questions = list(small_bank.objectives.first().questions.all()[:2])
    started = timezone.now() - timedelta(hours=1)
    for _ in range(N):
        attempt = AttemptFactory(
            quiz=quiz,
            user=UserFactory(),
            questions=questions,
            started_at=started,
            deadline=started + timedelta(minutes=5),
        )
        attempt.slots.update(credit=Decimal(1), response={}, answered_at=started + timedelta(minutes=1))

    def cron_run(_):
        out = io.StringIO()
        call_command("close_expired_attempts", stdout=out)
        return out.getvalue()

    outputs = at_once(2, cron_run)

    assert errors(outputs) == []
    counts = [int(re.fullmatch(r"Closed (\d+) attempt\(s\)\.\n", out).group(1)) for out in outputs]
    assert sum(counts) == N
    assert Attempt.objects.filter(state=Attempt.State.FINISHED).count() == N
    timeouts = AttemptStep.objects.filter(action="timeout")
    assert timeouts.count() == N
    assert timeouts.values("attempt").distinct().count() == N
    assert ReviewEvent.objects.count() == 2 * N  # each attempt's two answers became reviews once
