from decimal import Decimal

from django.db import models

from content.markdown import render_text


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

    def save(self, *args, **kwargs):
        # Derived fields, rendered and sanitized once when saved (never per request).
        self.stem_html = render_text(self.stem, self.text_format)
        self.explanation_html = render_text(self.explanation, self.text_format)
        super().save(*args, **kwargs)


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

    def __str__(self) -> str:
        return self.text if not self.match_text else f"{self.text} -> {self.match_text}"

    def save(self, *args, **kwargs):
        self.render(self.question.text_format)
        super().save(*args, **kwargs)

    def render(self, text_format: str) -> None:
        self.text_html = render_text(self.text, text_format, inline=True)
        self.match_html = render_text(self.match_text, text_format, inline=True)
        self.feedback_html = render_text(self.feedback, text_format)

    @property
    def is_correct(self) -> bool:
        return self.fraction > 0
