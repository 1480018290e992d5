from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, DateTimeField, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from content.models import Module, Objective
from portal.admin import SafeAutocompleteMixin
from quizzes.forms import GiftConfirmForm, GiftUploadForm, response_from_post
from quizzes.grading import InvalidResponse, grade
from quizzes.models import Attempt, Choice, Question, Quiz, Tag
from quizzes.presentation import chosen_for_display, feedback_for
from quizzes.services import bank
from quizzes.services.regrade import attempts_regrade_apply, attempts_regrade_preview
from quizzes.validation import ChoiceData, question_problems

PREVIEW_SESSION_KEY = "question-preview-{}"


class ChoiceForm(forms.ModelForm):
    correct = forms.BooleanField(required=False, help_text="Single, multiple, true/false.")
    fraction = forms.DecimalField(
        label="Credit",
        required=False,
        max_digits=10,
        decimal_places=7,
        help_text="Optional: from -1 to 1. Left empty, it follows “correct”.",
    )

    class Meta:
        model = Choice
        fields = ["text", "match_text", "correct", "fraction", "feedback", "order"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2, "cols": 28}),
            "match_text": forms.Textarea(attrs={"rows": 2, "cols": 20}),
            "feedback": forms.Textarea(attrs={"rows": 2, "cols": 20}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["correct"].initial = self.instance.fraction > 0
        # A tabular inline names its columns only in the table's header: give each field its own name.
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("aria-label", f"{field.label or name.capitalize()}, {self.row_name()}")

    def row_name(self) -> str:
        index = (self.prefix or "").rpartition("-")[2]
        return f"answer {int(index) + 1}" if index.isdigit() else "new answer"


class ChoiceFormSet(forms.BaseInlineFormSet):
    """Checks the choices together with the question's kind, and sets each choice's credit."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = f"Delete {form.row_name()}"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kind = self.instance.kind
        rows = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        correct = [f for f in rows if f.cleaned_data.get("correct")]
        wrong = [f for f in rows if not f.cleaned_data.get("correct")]
        for form in rows:
            given = form.cleaned_data.get("fraction")
            if given is not None:
                form.instance.fraction = given
            elif kind == Question.Kind.MULTIPLE:
                share = Decimal(1) / len(correct) if form in correct else -Decimal(1) / max(len(wrong), 1)
                form.instance.fraction = share.quantize(Decimal("0.0000001"))
            else:
                form.instance.fraction = Decimal(1 if form in correct else 0)
        if kind == Question.Kind.MULTIPLE and correct:  # absorb rounding so the shares add to exactly 1
            total = sum((f.instance.fraction for f in correct), Decimal(0))
            correct[0].instance.fraction += Decimal(1) - total if abs(total - 1) < Decimal("0.001") else 0
        if kind == Question.Kind.ORDERING:
            positions = [f.cleaned_data.get("order") for f in rows]
            if len(set(positions)) != len(positions):
                raise ValidationError("Give each ordering item its own position in “order” (1, 2, 3 …).")
        data = [
            ChoiceData(f.cleaned_data.get("text", ""), f.cleaned_data.get("match_text", ""), f.instance.fraction)
            for f in rows
        ]
        problems = question_problems(kind, data)
        if problems:
            raise ValidationError(problems)


# The answer columns each kind uses (the rest are hidden by static/css/admin.css through the
# inline's `kind-…` class; static/js/admin-question.js follows the kind select as it changes).
KIND_COLUMNS = {
    Question.Kind.SINGLE: ["text", "correct", "feedback", "order"],
    Question.Kind.TRUE_FALSE: ["text", "correct", "feedback", "order"],
    Question.Kind.MULTIPLE: ["text", "correct", "fraction", "feedback", "order"],
    Question.Kind.MATCHING: ["text", "match_text", "order"],
    Question.Kind.ORDERING: ["text", "order"],
}


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = ChoiceForm
    formset = ChoiceFormSet
    verbose_name = "answer"
    verbose_name_plural = "Answers (options, matching pairs, or ordering items with their position in “order”)"

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is not None else 4  # a new question needs its options; an existing one has them


class ModuleFilter(admin.SimpleListFilter):
    title = "module"
    parameter_name = "module"

    def lookups(self, request, model_admin):
        return [(m.code, str(m)) for m in Module.objects.order_by("course__order", "order")]

    def queryset(self, request, queryset):
        return queryset.filter(objective__module__code=self.value()) if self.value() else queryset


@admin.register(Question)
class QuestionAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    inlines = [ChoiceInline]
    list_display = ["short_stem", "objective_code", "kind", "is_active", "tag_list"]
    list_filter = [ModuleFilter, "kind", "is_active", "tags", ("objective", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["stem", "title", "idnumber"]
    list_select_related = ["objective"]
    list_per_page = 50
    autocomplete_fields = ["objective"]
    filter_horizontal = ["tags"]
    actions = ["activate", "deactivate", "duplicate", "export_gift", "regrade"]
    fieldsets = [
        (None, {"fields": ["objective", "kind", "stem", "explanation", "is_active"]}),
        ("More", {"fields": ["title", "idnumber", "text_format", "tags"], "classes": ["collapse"]}),
    ]
    change_form_template = "admin/quizzes/question/change_form.html"
    change_list_template = "admin/quizzes/question/change_list.html"

    class Media:
        js = ["js/admin-question.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_changeform_initial_data(self, request):
        # A new question cannot be drawn by a quiz before its author has previewed it.
        return {"is_active": False, **super().get_changeform_initial_data(request)}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["is_active"].help_text = (
            "Quizzes draw only active questions. A new question starts inactive: preview it as a learner, "
            "then tick this and save."
        )
        return form

    def get_inline_instances(self, request, obj=None):
        """The answers' table carries the question's kind (the posted one after an error, else the saved
        one) as a class: the columns that kind does not use are hidden. A new question shows them all
        until the script follows the kind select."""
        inlines = super().get_inline_instances(request, obj)
        kind = request.POST.get("kind") if request.method == "POST" else getattr(obj, "kind", None)
        for inline in inlines:
            if isinstance(inline, ChoiceInline) and kind in KIND_COLUMNS:
                inline.classes = [f"kind-{kind}"]
        return inlines

    @admin.display(description="question", ordering="stem")
    def short_stem(self, obj: Question) -> str:
        return obj.stem if len(obj.stem) <= 90 else obj.stem[:89] + "…"

    @admin.display(description="objective", ordering="objective__code")
    def objective_code(self, obj: Question) -> str:
        return obj.objective.code

    @admin.display(description="tags")
    def tag_list(self, obj: Question) -> str:
        return ", ".join(t.name for t in obj.tags.all())

    @admin.action(description="Activate the selected questions", permissions=["change"])
    def activate(self, request, queryset):
        self.message_user(request, f"{queryset.update(is_active=True)} question(s) activated.", messages.SUCCESS)

    @admin.action(description="Deactivate the selected questions", permissions=["change"])
    def deactivate(self, request, queryset):
        self.message_user(request, f"{queryset.update(is_active=False)} question(s) deactivated.", messages.SUCCESS)

    @admin.action(description="Duplicate the selected questions (copies start inactive)", permissions=["add"])
    def duplicate(self, request, queryset):
        copies = [bank.question_duplicate(question=q) for q in queryset]
        self.message_user(request, f"{len(copies)} question(s) duplicated; the copies are inactive.", messages.SUCCESS)

    @admin.action(description="Export the selected questions as GIFT", permissions=["view"])
    def export_gift(self, request, queryset):
        return _gift_response(bank.gift_export(questions=queryset), "questions.gift")

    @admin.action(description="Regrade finished attempts with the selected questions' key", permissions=["change"])
    def regrade(self, request, queryset):
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        if len(ids) == 1:
            return redirect(reverse("admin:quizzes_question_regrade", args=[ids[0]]))
        return redirect(reverse("admin:quizzes_question_regrade_many") + "?" + "&".join(f"ids={pk}" for pk in ids))

    def get_urls(self):
        own = [
            path("<int:pk>/regrade/", self.admin_site.admin_view(self.regrade_view), name="quizzes_question_regrade"),
            path("regrade/", self.admin_site.admin_view(self.regrade_view), name="quizzes_question_regrade_many"),
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="quizzes_question_preview"),
            path("coverage/", self.admin_site.admin_view(self.coverage_view), name="quizzes_question_coverage"),
            path("import-gift/", self.admin_site.admin_view(self.import_view), name="quizzes_question_import"),
            path("export-gift/", self.admin_site.admin_view(self.export_view), name="quizzes_question_export"),
        ]
        return own + super().get_urls()

    def _context(self, request, title: str, **extra) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The question as a quiz shows it; the answer is revealed only after the previewer answers."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        question = get_object_or_404(Question.objects.select_related("objective"), pk=pk)
        key = PREVIEW_SESSION_KEY.format(pk)
        context = self._context(request, f"Preview: {question}", question=question)
        if request.method == "POST" and key in request.session:
            snapshot = request.session[key]
            try:
                response = response_from_post(snapshot, request.POST)
            except InvalidResponse as exc:
                context.update(snapshot=snapshot, error=str(exc), positions=range(1, len(snapshot["choices"]) + 1))
                return render(request, "admin/quizzes/question/preview.html", context, status=400)
            credit = grade(snapshot, response)
            context.update(
                snapshot=snapshot,
                chosen=chosen_for_display(snapshot, response),
                disabled=True,
                feedback=feedback_for(snapshot, response, credit),
                objective_url=question.objective.get_absolute_url(),
            )
        else:
            snapshot = bank.question_snapshot(Question.objects.prefetch_related("choices").get(pk=pk))
            request.session[key] = snapshot
            context.update(snapshot=snapshot)
        context["positions"] = range(1, len(snapshot["choices"]) + 1)
        return render(request, "admin/quizzes/question/preview.html", context)

    def regrade_view(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        """GET: the dry run (which finished attempts would change, from what to what); POST with
        `confirm`: apply it and come back here with what was done in a message."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        source = request.POST if request.method == "POST" else request.GET
        ids = [pk] if pk is not None else [int(i) for i in source.getlist("ids") if i.isdigit()]
        questions = list(Question.objects.filter(pk__in=ids).order_by("pk"))
        if not questions:
            raise Http404("No such question.")
        if request.method == "POST" and "confirm" in request.POST:
            plans = [attempts_regrade_apply(question=q, by=request.user) for q in questions]
            for plan in plans:
                if plan.refused:
                    self.message_user(request, f"{plan.question_label}: {plan.refused}", messages.ERROR)
                else:
                    self.message_user(
                        request,
                        f"{plan.question_label}: {len(plan.changes)} attempt(s) regraded, "
                        f"{len(plan.grade_changes)} with a new grade.",
                        messages.SUCCESS,
                    )
            return redirect(request.get_full_path())
        plans = [attempts_regrade_preview(question=q) for q in questions]
        title = f"Regrade: {questions[0]}" if len(questions) == 1 else f"Regrade {len(questions)} questions"
        context = self._context(
            request,
            title,
            plans=plans,
            ids=[q.pk for q in questions],
            single=pk,
            actionable=any(p.changes and not p.refused for p in plans),
        )
        return render(request, "admin/quizzes/question/regrade.html", context)

    def coverage_view(self, request: HttpRequest) -> HttpResponse:
        """Objectives with fewer than N active questions."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            minimum = max(1, min(100, int(request.GET.get("min", 4))))
        except ValueError:
            minimum = 4
        objectives = (
            Objective.objects.select_related("module")
            .annotate(active=Count("questions", filter=Q(questions__is_active=True)))
            .filter(active__lt=minimum)
            .order_by("module__course__order", "module__order", "order")
        )
        return render(
            request,
            "admin/quizzes/question/coverage.html",
            self._context(request, "Question coverage", objectives=objectives, minimum=minimum),
        )

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → preview of what would change (errors with lines) → confirm. Errors save nothing."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = self._context(request, "Import questions from GIFT")
        if request.method == "POST" and "confirm" in request.POST:
            form = GiftConfirmForm(request.POST)
            if form.is_valid():
                report = bank.gift_import(
                    text=form.cleaned_data["text"], default_objective=form.cleaned_data["objective"]
                )
                if report.saved:
                    c = report.counts
                    self.message_user(
                        request,
                        f"Imported: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, "
                        f"{len(report.skipped)} skipped.",
                        messages.SUCCESS,
                    )
                context.update(report=report, form=GiftUploadForm())
                return render(request, "admin/quizzes/question/import.html", context)
        form = GiftUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            text, objective = form.cleaned_data["file"], form.cleaned_data["objective"]
            report = bank.gift_import(text=text, default_objective=objective, dry_run=True)
            confirm = GiftConfirmForm(initial={"text": text, "objective": objective})
            context.update(report=report, confirm=confirm, preview=True)
        context["form"] = form
        status = 400 if request.method == "POST" and not form.is_valid() else 200
        return render(request, "admin/quizzes/question/import.html", context, status=status)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The whole bank, or one module (?module=5.13), as GIFT."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        questions = Question.objects.all()
        module = request.GET.get("module")
        if module:
            get_object_or_404(Module, code=module)
            questions = questions.filter(objective__module__code=module)
        return _gift_response(bank.gift_export(questions=questions), f"bank-{module or 'all'}.gift")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        bank.question_rerender(question=form.instance)  # the stem, the explanation and every choice
        warning = correct_first_warning(form.instance)
        if warning:
            self.message_user(request, warning, messages.WARNING)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return redirect(reverse("admin:quizzes_question_preview", args=[obj.pk]))
        return super().response_change(request, obj)


def correct_first_warning(question: Question) -> str | None:
    """A warning when a single-answer or multiple-response question lists its correct option(s)
    before the others: shown in that order (a quiz with answer shuffling off), the position tells."""
    if question.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return None
    correct = [c.fraction > 0 for c in question.choices.all()]  # in the order learners see them
    count = sum(correct)
    if not count or count == len(correct) or not all(correct[:count]):
        return None
    which = "The correct option is listed first" if count == 1 else f"The {count} correct options are listed first"
    return (
        f"{which}: with answer shuffling off, the position gives the answer away. "
        "Consider moving it down (the “order” column)."
    )


def _gift_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, each named ("Opens at: date"): the admin labels only the first."""

    def __init__(self, label: str, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = f"{label}: date"
        self.widgets[1].attrs["aria-label"] = f"{label}: time"


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    """Instructors change a quiz's settings here; the loader creates the course's quizzes."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, DateTimeField):
            kwargs["widget"] = LabelledSplitDateTime(str(db_field.verbose_name).capitalize())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    list_display = ["title", "kind", "module", "question_count", "feedback_mode", "attempts_allowed", "time_limit"]
    list_filter = ["kind", "feedback_mode"]
    search_fields = ["title", "slug"]
    readonly_fields = ["kind", "module", "owner"]
    exclude = ["practice_questions"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(owner=None).select_related("module")

    def has_add_permission(self, request):
        return False  # the course's quizzes come from load_course; practice quizzes are made for a learner


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Read only: attempts are learners' work and their audit trail."""

    list_display = ["quiz", "user", "number", "state", "score", "started_at", "finished_at"]
    list_filter = ["state", "quiz"]
    list_select_related = ["quiz", "user"]
    search_fields = ["user__email", "uuid"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
