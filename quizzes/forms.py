from django import forms
from django.http import QueryDict

from content.models import Objective
from quizzes.grading import IncompleteResponse, InvalidResponse
from quizzes.models import Question


def response_from_post(snapshot: dict, data: QueryDict) -> dict:
    """The learner's answer to the question in `snapshot`, read from a submitted form.

    Raises InvalidResponse when the form names something that is not in the question or is
    incomplete (the caller answers 400 and saves nothing).
    """
    kind = snapshot["kind"]
    keys = {c["key"] for c in snapshot["choices"]}
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
        choice = data.get("choice")
        if not choice:
            raise IncompleteResponse("Choose an answer.")
        if choice not in keys:
            raise InvalidResponse("That answer is not one of this question's options.")
        return {"choice": choice}
    if kind == Question.Kind.MULTIPLE:
        chosen = data.getlist("choices")
        if not chosen:
            raise IncompleteResponse("Choose at least one answer.")
        if len(set(chosen)) != len(chosen) or not set(chosen) <= keys:
            raise InvalidResponse("That answer is not one of this question's options.")
        return {"choices": chosen}
    if kind == Question.Kind.MATCHING:
        answers = {a["key"] for a in snapshot["answers"]}
        pairs = {}
        for c in snapshot["choices"]:
            answer = data.get(f"pair-{c['key']}") if c["text"] else None
            if answer and answer not in answers:
                raise InvalidResponse("That match is not one of this question's answers.")
            if answer:
                pairs[c["key"]] = answer
        if not pairs:
            raise IncompleteResponse("Match at least one item.")
        return {"pairs": pairs}
    if kind == Question.Kind.ORDERING:
        positions = {}
        for c in snapshot["choices"]:
            value = data.get(f"position-{c['key']}", "")
            if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= len(keys):
                raise IncompleteResponse("Give every item a position.")
            positions[c["key"]] = int(value)
        if len(set(positions.values())) != len(positions):
            raise IncompleteResponse("Give each position to one item only.")
        return {"order": sorted(positions, key=positions.get)}
    raise InvalidResponse("Unknown question kind.")


def certainty_from_post(data: QueryDict) -> int | None:
    """The "How sure are you?" level of a submitted answer: 1, 2 or 3, or None when none was chosen.

    Raises InvalidResponse for anything else (the caller answers 400 and saves nothing)."""
    value = data.get("certainty", "")
    if not value:
        return None
    if value not in ("1", "2", "3"):
        raise InvalidResponse("That is not one of the certainty levels.")
    return int(value)


class GiftUploadForm(forms.Form):
    file = forms.FileField(label="GIFT file", help_text="A UTF-8 text file in Moodle's GIFT format.")
    objective = forms.ModelChoiceField(
        queryset=Objective.objects.select_related("module").order_by("module__course__order", "module__order", "order"),
        required=False,
        help_text="For questions without a $CATEGORY naming an objective.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 2 MB.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("GIFT files must use UTF-8.") from None


class GiftConfirmForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    objective = forms.ModelChoiceField(queryset=Objective.objects.all(), required=False, widget=forms.HiddenInput)
