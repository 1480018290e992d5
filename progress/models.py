from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class ReviewEvent(models.Model):
    """One rating of a card, appended and never changed. Card states are derived from these.

    `confidence` is the deck's own "How well did you know this?" 1–5 (flashcards); `credit` is the
    quiz grade (quizzes); `rating` is what the scheduler was given (docs/spaced-repetition.md).
    """

    class Source(models.TextChoices):
        FLASHCARD = "flashcard", "Flashcard"
        QUIZ = "quiz", "Quiz"
        UNDO = "undo", "Undo of a flashcard rating"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_events")
    objective = models.ForeignKey("content.Objective", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    confidence = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    credit = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    certainty = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A quiz answer's certainty: 1 not sure, 2 fairly sure, 3 very sure."
    )
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    reviewed_at = models.DateTimeField()
    undoes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="undone_by",
        help_text="An undo event cancels this rating: the log is never edited, derivation skips both.",
    )

    class Meta:
        ordering = ["reviewed_at", "pk"]
        indexes = [
            models.Index(fields=["user", "objective", "reviewed_at"]),
            models.Index(fields=["user", "reviewed_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=4), name="review_rating_1_to_4"),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=1, confidence__lte=5),
                name="review_confidence_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(certainty__isnull=True) | Q(certainty__gte=1, certainty__lte=3),
                name="review_certainty_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(source="undo", undoes__isnull=False) | (~Q(source="undo") & Q(undoes__isnull=True)),
                name="review_undo_names_its_rating",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} rated {self.objective.code} {self.rating} at {self.reviewed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Review events are append-only.")
        super().save(*args, **kwargs)

    @property
    def is_confident_mistake(self) -> bool:
        """A quiz answer given "very sure" (C3) that was wrong: the most dangerous state of knowledge."""
        return self.source == self.Source.QUIZ and self.certainty == 3 and self.credit is not None and self.credit <= 0


class CardState(models.Model):
    """A learner's scheduler state for one objective: derived from their ReviewEvents, never edited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_states")
    objective = models.ForeignKey("content.Objective", on_delete=models.CASCADE, related_name="+")
    card = models.JSONField(help_text="fsrs.Card.to_dict()")
    due = models.DateTimeField()
    stability = models.FloatField()
    difficulty = models.FloatField()
    reps = models.PositiveIntegerField()
    lapses = models.PositiveIntegerField()
    last_review = models.DateTimeField()
    first_review = models.DateTimeField(help_text="When the card was first studied (it stops being new).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "objective"], name="one_card_state_per_objective")]
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.objective.code} due {self.due:%Y-%m-%d %H:%M}"
