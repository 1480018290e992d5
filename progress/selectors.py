"""Reads of learner progress."""

from portal.models import User
from progress.models import StudiedObjective


def studied_codes(*, user: User, objective_ids=None) -> set[str]:
    """Codes of the objectives the learner has marked studied (optionally among `objective_ids`)."""
    rows = StudiedObjective.objects.filter(user=user)
    if objective_ids is not None:
        rows = rows.filter(objective_id__in=objective_ids)
    return set(rows.values_list("objective__code", flat=True))
