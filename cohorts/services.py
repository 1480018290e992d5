"""Writes for cohorts: creating and renaming them, their join code, joining, leaving and removing."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.models import Cohort, Membership, join_code_new
from portal.models import User


class CohortError(Exception):
    """A refused cohort action; each kind maps to an HTTP status in cohorts.views.ERROR_STATUS."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AlreadyMember(CohortError):
    pass


class RemovedByInstructor(CohortError):
    pass


class NotMember(CohortError):
    pass


def cohort_create(*, name: str, instructor: User, inactive_days: int = 7, mastery_threshold: int = 50) -> Cohort:
    """A new cohort with `instructor` as its instructor and a fresh join code."""
    with transaction.atomic():
        cohort = Cohort.objects.create(
            name=name, join_code=_unused_code(), inactive_days=inactive_days, mastery_threshold=mastery_threshold
        )
        cohort.instructors.add(instructor)
    return cohort


def cohort_update(*, cohort: Cohort, name: str, inactive_days: int, mastery_threshold: int) -> Cohort:
    cohort.name, cohort.inactive_days, cohort.mastery_threshold = name, inactive_days, mastery_threshold
    cohort.save(update_fields=["name", "inactive_days", "mastery_threshold"])
    return cohort


def _unused_code() -> str:
    while True:
        code = join_code_new()
        if not Cohort.objects.filter(join_code=code).exists():
            return code


def cohort_code_regenerate(*, cohort: Cohort) -> str:
    """Give the cohort a new join code: the old one stops working at once (links with it included)."""
    cohort.join_code = _unused_code()
    cohort.save(update_fields=["join_code"])
    return cohort.join_code


def membership_join(*, cohort: Cohort, user: User, now: datetime | None = None) -> Membership:
    """Join the cohort, or rejoin it after leaving. Raises AlreadyMember for an active member and
    RemovedByInstructor for a learner an instructor removed (only an instructor can add them back)."""
    now = now or timezone.now()
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(cohort=cohort, user=user).first()
        if membership is None:
            try:
                with transaction.atomic():
                    return Membership.objects.create(
                        cohort=cohort, user=user, joined_at=now, changed_at=now, state=Membership.State.ACTIVE
                    )
            except IntegrityError:  # a concurrent join (a double click) won
                raise AlreadyMember(f"You are already in {cohort.name}.") from None
        if membership.state == Membership.State.ACTIVE:
            raise AlreadyMember(f"You are already in {cohort.name}.")
        if membership.state == Membership.State.REMOVED:
            raise RemovedByInstructor(
                f"An instructor removed you from {cohort.name}; ask them if you should be back in it."
            )
        membership.state, membership.joined_at, membership.changed_at = Membership.State.ACTIVE, now, now
        membership.save(update_fields=["state", "joined_at", "changed_at"])
        return membership


def _membership_end(membership: Membership, state: str, now: datetime | None) -> Membership:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.state != Membership.State.ACTIVE:
            raise NotMember(f"{locked.user} is not in {membership.cohort.name} any more.")
        locked.state, locked.changed_at = state, now or timezone.now()
        locked.save(update_fields=["state", "changed_at"])
    membership.state, membership.changed_at = locked.state, locked.changed_at
    return membership


def membership_leave(*, membership: Membership, now: datetime | None = None) -> Membership:
    """The learner leaves the cohort (they may rejoin with the code). Their records are untouched."""
    return _membership_end(membership, Membership.State.LEFT, now)


def membership_remove(*, membership: Membership, now: datetime | None = None) -> Membership:
    """An instructor removes the learner: the join code no longer lets them back in."""
    return _membership_end(membership, Membership.State.REMOVED, now)


def membership_restore(*, membership: Membership, now: datetime | None = None) -> Membership:
    """An instructor takes a removed (or departed) learner back into the cohort."""
    now = now or timezone.now()
    membership.state, membership.changed_at = Membership.State.ACTIVE, now
    membership.save(update_fields=["state", "changed_at"])
    return membership
