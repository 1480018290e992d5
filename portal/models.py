from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class EmailUserManager(UserManager):
    """The stock manager, keyed on the e-mail address instead of a username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address: learner, instructor or admin."""

    username = None
    email = models.EmailField("e-mail address", unique=True)
    time_zone = models.CharField(max_length=64, default="UTC", help_text="Your day starts at midnight here.")
    daily_new_cards = models.PositiveSmallIntegerField(
        "new cards a day",
        default=10,
        validators=[MaxValueValidator(200)],
        help_text="How many new cards to study a day.",
    )
    exam_date = models.DateField(null=True, blank=True, help_text="For the readiness estimate on your dashboard.")

    # The exam-date study plan (docs/spaced-repetition.md, "The exam plan"): derived on each request from these.
    class BudgetUnit(models.TextChoices):
        CARDS = "cards", "cards a day"
        MINUTES = "minutes", "minutes a day"

    class ExamOutcome(models.TextChoices):
        PASSED = "passed", "I passed"
        FAILED = "failed", "I did not pass"
        WITHHELD = "withheld", "I would rather not say"

    recall_target = models.PositiveSmallIntegerField(
        "recall target (%)",
        default=90,
        validators=[MinValueValidator(50), MaxValueValidator(99)],
        help_text="How much of the course you want to recall on exam day: 50% to 99%.",
    )
    daily_budget = models.PositiveSmallIntegerField(
        "daily study budget",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="How much you can study a day for the exam, in the unit below.",
    )
    budget_unit = models.CharField(max_length=7, choices=BudgetUnit.choices, default=BudgetUnit.CARDS)
    exam_outcome = models.CharField(
        max_length=8, choices=ExamOutcome.choices, blank=True, help_text="How the exam went (optional)."
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    def __str__(self) -> str:
        return self.email
