"""A learner's own data: download it, delete the account (issue 12)."""

import csv
import io
import json

import pytest
from allauth.account.models import EmailAddress

from content.models import StudiedObjective
from portal.models import User
from progress.models import ReviewEvent
from quizzes.models import Attempt
from quizzes.services.attempts import attempt_answer, attempt_start, attempt_submit
from tests.factories import ReviewEventFactory, StudiedObjectiveFactory
from tests.quizzes.helpers import answer, make_quiz


def _history(learner, small_bank):
    objective = small_bank.objectives.first()
    StudiedObjectiveFactory(user=learner, objective=objective)
    ReviewEventFactory(user=learner, objective=objective, confidence=4)
    attempt = attempt_start(user=learner, quiz=make_quiz(small_bank))
    slot = attempt.slots.first()
    attempt_answer(attempt=attempt, position=slot.position, response=answer(slot.snapshot))
    attempt_submit(attempt=attempt)
    return attempt


def test_download_my_data_as_json_holds_only_my_records(learner_client, learner, other_learner, small_bank):
    attempt = _history(learner, small_bank)
    ReviewEventFactory(user=other_learner)

    data = json.loads(learner_client.get("/my-data/all.json").content)

    assert data["profile"]["email"] == learner.email
    assert [r["objective"] for r in data["studied"]] == ["9.1.1"]
    assert len(data["reviews"]) == 1 + 1  # the flashcard rating and the quiz answer (immediate feedback)
    assert [a["attempt"] for a in data["attempts"]] == [str(attempt.uuid)]
    assert len(data["answers"]) == attempt.slots.count()


def test_download_a_table_as_csv(learner_client, learner, small_bank):
    _history(learner, small_bank)

    rows = list(csv.reader(io.StringIO(learner_client.get("/my-data/reviews.csv").content.decode())))

    assert rows[0] == ["objective__code", "source", "confidence", "credit", "rating", "duration_ms", "reviewed_at"]
    assert len(rows) == 3
    assert learner_client.get("/my-data/passwords.csv").status_code == 404


def test_deleting_the_account_needs_the_password(learner_client, learner, password):
    refused = learner_client.post("/my-data/delete/", {"password": "wrong"})

    assert refused.status_code == 400
    assert "nothing was deleted" in refused.text
    assert User.objects.get(pk=learner.pk).email == learner.email


def test_deleting_the_account_removes_personal_data_and_keeps_records_anonymously(
    client, learner, password, small_bank
):
    assert EmailAddress.objects.filter(user=learner, email=learner.email, primary=True, verified=True).exists()
    attempt = _history(learner, small_bank)
    client.force_login(learner)
    reviews = ReviewEvent.objects.filter(user=learner).count()

    response = client.post("/my-data/delete/", {"password": password})

    user = User.objects.get(pk=learner.pk)
    assert response["Location"] == "/"
    assert user.email.endswith("@deleted.invalid") and not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not StudiedObjective.objects.filter(user=user).exists()
    assert ReviewEvent.objects.filter(user=user).count() == reviews  # kept for statistics, anonymously
    assert Attempt.objects.get(pk=attempt.pk).score == attempt.score
    assert client.get("/").status_code == 200 and "Log in" in client.get("/").text  # signed out
    assert not client.login(email=learner.email, password=password)


@pytest.mark.parametrize("n", [1, 20])
def test_my_data_query_count_is_flat(learner_client, learner, small_bank, django_assert_num_queries, n):
    _history(learner, small_bank)
    for _ in range(n):
        ReviewEventFactory(user=learner, objective=small_bank.objectives.first())
    # session, user, studied marks, reviews, attempts, answers, cohorts
    with django_assert_num_queries(7):
        assert learner_client.get("/my-data/all.json").status_code == 200
    # session, user
    with django_assert_num_queries(2):
        assert learner_client.get("/my-data/").status_code == 200
