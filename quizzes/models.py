import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse


class Tag(models.Model):
    name = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A question in the bank, testing one objective.

    Which answer is correct lives only in the `Choice` rows (`fraction`). Attempts keep a snapshot
    of the question as it was shown, so editing a question never changes a past attempt.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", "Single answer"
        MULTIPLE = "multiple", "Multiple response"
        TRUE_FALSE = "truefalse", "True / false"
        MATCHING = "matching", "Matching"
        ORDERING = "ordering", "Ordering"

    class Format(models.TextChoices):
        MARKDOWN = "markdown", "Markdown"
        HTML = "html", "HTML"
        PLAIN = "plain", "Plain text"

    objective = models.ForeignKey("content.Objective", on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    idnumber = models.CharField(
        "ID number", max_length=100, unique=True, null=True, blank=True, help_text="A stable id (GIFT [id:...])."
    )
    title = models.CharField(max_length=200, blank=True, help_text="A short name for the bank (GIFT ::title::).")
    text_format = models.CharField(max_length=10, choices=Format.choices, default=Format.MARKDOWN)
    stem = models.TextField(help_text="The question as the learner reads it.")
    explanation = models.TextField(help_text="Why the answer is right, from the objective's note.")
    stem_html = models.TextField(editable=False)
    explanation_html = models.TextField(editable=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["objective__module__order", "objective__order", "idnumber", "pk"]
        indexes = [models.Index(fields=["objective", "is_active"])]

    def __str__(self) -> str:
        return self.title or self.stem[:80]


class Choice(models.Model):
    """An option (single / multiple / true-false), a pair (matching: `text` -> `match_text`; an
    empty `text` is a distractor answer) or an item (ordering: `order` is its correct position).

    `fraction` is the credit for choosing it: 1 for a correct single answer; for multiple
    response the correct options share +1 and the wrong ones share -1, so ticking everything
    scores 0.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.TextField(blank=True)
    match_text = models.TextField("matches", blank=True)
    fraction = models.DecimalField(max_digits=10, decimal_places=7, default=Decimal(0))
    feedback = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    text_html = models.TextField(editable=False)
    match_html = models.TextField(editable=False)
    feedback_html = models.TextField(editable=False)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(fraction__gte=-1, fraction__lte=1), name="choice_credit_within_1")
        ]

    def __str__(self) -> str:
        return self.text if not self.match_text else f"{self.text} -> {self.match_text}"

    @property
    def is_correct(self) -> bool:
        return self.fraction > 0


class Quiz(models.Model):
    """A module quiz, the final exam, or a practice quiz made for one learner."""

    class Kind(models.TextChoices):
        MODULE = "module", "Module quiz"
        FINAL = "final", "Final exam"
        PRACTICE = "practice", "Practice"

    class FeedbackMode(models.TextChoices):
        IMMEDIATE = "immediate", "Immediate: after each answer"
        DEFERRED = "deferred", "Deferred: after submitting"
        NONE = "none", "None"

    class GradingMethod(models.TextChoices):
        HIGHEST = "highest", "Highest attempt"
        LAST = "last", "Last attempt"
        FIRST = "first", "First attempt"
        AVERAGE = "average", "Average of attempts"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    module = models.ForeignKey("content.Module", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="practice_quizzes"
    )
    practice_questions = models.ManyToManyField(Question, blank=True, related_name="+")
    question_count = models.PositiveSmallIntegerField(default=10, validators=[MinValueValidator(1)])
    shuffle_questions = models.BooleanField(default=True)
    shuffle_answers = models.BooleanField(default=True)
    time_limit = models.DurationField(
        null=True,
        blank=True,
        validators=[MinValueValidator(timedelta(minutes=1)), MaxValueValidator(timedelta(days=7))],
        help_text="Empty: no time limit. From 00:01:00 to 7 days, e.g. 00:20:00.",
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Empty: unlimited."
    )
    pass_mark = models.DecimalField(
        "pass mark (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(70),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    feedback_mode = models.CharField(max_length=10, choices=FeedbackMode.choices, default=FeedbackMode.IMMEDIATE)
    show_correct_answers = models.BooleanField("show the correct answers on review", default=True)
    ask_certainty = models.BooleanField(
        "ask for certainty",
        default=False,
        help_text="Each answer also says how sure the learner is (C1–C3), marked by certainty-based marking.",
    )
    pass_on_cbm = models.BooleanField(
        "pass on the CBM grade",
        default=False,
        help_text="With certainty asked: the pass mark reads accuracy + CBM bonus instead of accuracy.",
    )
    grading_method = models.CharField(max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "quizzes"
        ordering = ["kind", "module__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(opens_at__isnull=True) | Q(closes_at__gt=F("opens_at")),
                name="quiz_closes_after_it_opens",
            ),
            # A module quiz has its module; the final exam spans the course; practice belongs to a learner.
            models.CheckConstraint(
                condition=Q(kind="module", module__isnull=False, owner__isnull=True)
                | Q(kind="final", module__isnull=True, owner__isnull=True)
                | Q(kind="practice", module__isnull=True, owner__isnull=False),
                name="quiz_kind_matches_module_and_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:quiz", kwargs={"slug": self.slug})


class Attempt(models.Model):
    """One learner's attempt at a quiz. Its questions, their order and answer order are frozen at start."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        FINISHED = "finished", "Finished"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.IN_PROGRESS)
    feedback_mode = models.CharField(
        max_length=10, choices=Quiz.FeedbackMode.choices, help_text="The quiz's mode when the attempt started."
    )
    show_correct_answers = models.BooleanField(
        default=True, help_text="The quiz's “show the correct answers on review” when the attempt started."
    )
    ask_certainty = models.BooleanField(default=False, help_text="The quiz's “ask for certainty” when it started.")
    pass_on_cbm = models.BooleanField(default=False, help_text="The quiz's “pass on the CBM grade” when it started.")
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True, help_text="0 to 1.")
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["quiz", "user", "number"]
        constraints = [
            # Attempts allowed and "one attempt at a time" hold under concurrent starts.
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="attempt_number_unique"),
            models.UniqueConstraint(
                fields=["quiz", "user"], condition=Q(state="in_progress"), name="one_attempt_in_progress"
            ),
            # In progress: no grade yet; finished: graded, with its finish time.
            models.CheckConstraint(
                condition=Q(state="in_progress", score__isnull=True, passed__isnull=True, finished_at__isnull=True)
                | Q(state="finished", score__isnull=False, passed__isnull=False, finished_at__isnull=False),
                name="attempt_state_matches_grade",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1), name="attempt_score_0_to_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} · #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt-question", kwargs={"uuid": self.uuid, "position": 1})

    @property
    def is_finished(self) -> bool:
        return self.state == self.State.FINISHED


class AttemptQuestion(models.Model):
    """A question of an attempt: the snapshot shown, the learner's response and its credit."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, null=True, on_delete=models.SET_NULL, related_name="+")
    objective = models.ForeignKey("content.Objective", on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField()
    response = models.JSONField(null=True, blank=True)
    credit = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    certainty = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How sure the learner was: 1 not sure, 2 fairly sure, 3 very sure."
    )
    flagged = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="slot_position_unique"),
            models.CheckConstraint(
                condition=Q(certainty__isnull=True) | Q(certainty__gte=1, certainty__lte=3),
                name="slot_certainty_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · question {self.position}"

    @property
    def is_answered(self) -> bool:
        return self.response is not None


class AttemptStep(models.Model):
    """An audit trail: every start, save, flag, submit and time-out of an attempt, never changed."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    action = models.CharField(max_length=12)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.action} at {self.at:%Y-%m-%d %H:%M:%S}"
