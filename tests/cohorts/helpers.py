"""Helpers shared by the cohort tests."""


def take_quiz(user, quiz, *, correct: list[bool], now=None):
    """A finished attempt at `quiz`, taken through the real services: one answer per question."""
    from quizzes.services.attempts import attempt_answer, attempt_start, attempt_submit
    from tests.quizzes.helpers import answer

    attempt = attempt_start(user=user, quiz=quiz, now=now)
    for slot, right in zip(attempt.slots.order_by("position"), correct, strict=False):
        attempt_answer(attempt=attempt, position=slot.position, response=answer(slot.snapshot, right), now=now)
    return attempt_submit(attempt=attempt, now=now)
