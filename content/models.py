from django.conf import settings
from django.db import models
from django.urls import reverse

CORE_COURSE = "process-and-procedures"  # the certification course 5.1–5.16 (the other is supplementary)


class Course(models.Model):
    """A course: "5.0 Process and Procedures" or the supplementary one."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:course", kwargs={"slug": self.slug})


class Module(models.Model):
    """A chapter of a course ("5.13 Escalation"); its code is unique across the library."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="modules")
    code = models.CharField(max_length=16, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    order = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=100, blank=True, help_text="The source document it was written from.")

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("content:module", kwargs={"code": self.code})


class Objective(models.Model):
    """A learning objective: one card of the deck. Its note is also the back of a flashcard.

    The note is kept as Markdown (`note_md`, the source of truth), as sanitized HTML rendered when
    it is saved (`note_html`), and as plain text for search (`note_text`).
    """

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="objectives")
    code = models.CharField(max_length=20, unique=True)
    prompt = models.CharField(max_length=300)
    note_md = models.TextField("note (Markdown)")
    note_html = models.TextField(editable=False)
    note_text = models.TextField(editable=False)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.code} {self.prompt}"

    def get_absolute_url(self) -> str:
        return reverse("content:objective", kwargs={"code": self.code})


class StudiedObjective(models.Model):
    """A learner has read an objective's note and marked it studied (the library's own reading marks)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="studied_objectives")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="studied_marks")
    studied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "objective"], name="studied_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} studied {self.objective.code}"
