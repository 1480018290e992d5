"""Writes to learner progress."""

from content.models import Objective
from portal.models import User
from progress.models import StudiedObjective


def studied_set(*, user: User, objective: Objective, studied: bool) -> None:
    """Mark or unmark an objective as studied by the learner. Idempotent: replaying it is harmless."""
    if studied:
        StudiedObjective.objects.get_or_create(user=user, objective=objective)
    else:
        StudiedObjective.objects.filter(user=user, objective=objective).delete()
