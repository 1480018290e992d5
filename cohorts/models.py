import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# No 0/O, 1/I/L: a code read aloud or copied from a slide is typed right the first time.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 10  # 31**10 ≈ 8·10**14 codes (about 50 bits): not guessable by trying


def join_code_new() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Cohort(models.Model):
    """A group of learners followed by its instructors. Learners join with the join code."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    join_code = models.CharField(max_length=20, unique=True, default=join_code_new)
    inactive_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="A learner with no review or quiz activity for this many days is flagged inactive.",
    )
    mastery_threshold = models.PositiveSmallIntegerField(
        "mastery threshold (%)",
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="A module below this mastery after 5 or more reviews of its cards flags the learner stuck.",
    )
    instructors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="instructed_cohorts", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(mastery_threshold__lte=100), name="cohort_threshold_0_to_100"),
            models.CheckConstraint(condition=Q(inactive_days__gte=1), name="cohort_inactive_days_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A learner in a cohort. Never deleted: leaving or being removed changes its state."""

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        LEFT = "left", "Left"
        REMOVED = "removed", "Removed by an instructor"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships")
    joined_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["cohort", "user__email"]
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="one_membership_per_cohort")]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE
