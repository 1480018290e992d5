import pytest

from content.models import StudiedObjective
from tests.factories import ObjectiveFactory


@pytest.fixture
def objective(db):
    return ObjectiveFactory()


def url(objective):
    return f"/objectives/{objective.code}/studied/"


def test_plain_post_marks_studied_and_redirects_back(learner_client, learner, objective):
    response = learner_client.post(url(objective), {"studied": "1", "next": "/modules/9.1/#objective-9-1-1"})

    assert response.status_code == 302
    assert response["Location"] == "/modules/9.1/#objective-9-1-1"
    assert StudiedObjective.objects.filter(user=learner, objective=objective).count() == 1


def test_htmx_post_returns_the_swapped_form(learner_client, learner, objective):
    response = learner_client.post(url(objective), {"studied": "1"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<form id="studied-{objective.code.replace(".", "")}"')
    assert "Mark as not studied" in response.text
    assert '<input type="hidden" name="studied" value="0">' in response.text
    assert StudiedObjective.objects.filter(user=learner, objective=objective).exists()


def test_marking_twice_is_harmless_and_unmarking_removes(learner_client, learner, objective):
    learner_client.post(url(objective), {"studied": "1"})
    learner_client.post(url(objective), {"studied": "1"})
    assert StudiedObjective.objects.filter(user=learner).count() == 1

    learner_client.post(url(objective), {"studied": "0"}, headers={"HX-Request": "true"})

    assert not StudiedObjective.objects.filter(user=learner).exists()


def test_marks_are_per_learner(learner_client, learner, other_learner, objective):
    StudiedObjective.objects.create(user=other_learner, objective=objective)

    response = learner_client.get(objective.get_absolute_url())

    assert "Mark as studied" in response.text
    assert "Mark as not studied" not in response.text


@pytest.mark.parametrize("data", [{}, {"studied": "yes"}, {"studied": ""}])
def test_bad_value_answers_400_and_changes_nothing(learner_client, objective, data):
    response = learner_client.post(url(objective), data)

    assert response.status_code == 400
    assert not StudiedObjective.objects.exists()


def test_offsite_next_is_ignored(learner_client, objective):
    response = learner_client.post(url(objective), {"studied": "1", "next": "https://evil.example/"})

    assert response["Location"] == objective.get_absolute_url()


def test_get_is_not_allowed(learner_client, objective):
    assert learner_client.get(url(objective)).status_code == 405


def test_unknown_objective_answers_404(learner_client, db):
    assert learner_client.post("/objectives/0.0.0/studied/", {"studied": "1"}).status_code == 404


def test_anonymous_post_changes_nothing(client, objective):
    response = client.post(url(objective), {"studied": "1"}, headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith("/accounts/login/")
    assert not StudiedObjective.objects.exists()
