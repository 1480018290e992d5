from django import forms
from django.http import QueryDict

from content.models import Objective
from quizzes.grading import InvalidResponse


def response_from_post(snapshot: dict, data: QueryDict) -> dict:
    """The learner's answer to the question in `snapshot`, read from a submitted form.

    Raises InvalidResponse when the form names something that is not in the question or is
    incomplete (the caller answers 400 and saves nothing).
    """
    kind = snapshot["kind"]
    keys = {c["key"] for c in snapshot["choices"]}
    if kind in ("single", "truefalse"):
        choice = data.get("choice")
        if not choice:
            raise InvalidResponse("Choose an answer.")
        if choice not in keys:
            raise InvalidResponse("That answer is not one of this question's options.")
        return {"choice": choice}
    if kind == "multiple":
        chosen = data.getlist("choices")
        if not chosen:
            raise InvalidResponse("Choose at least one answer.")
        if len(set(chosen)) != len(chosen) or not set(chosen) <= keys:
            raise InvalidResponse("That answer is not one of this question's options.")
        return {"choices": chosen}
    if kind == "matching":
        pairs = {}
        for c in snapshot["choices"]:
            if c["text"]:
                answer = data.get(f"pair-{c['key']}")
                if not answer:
                    raise InvalidResponse("Match every item.")
                if answer not in keys:
                    raise InvalidResponse("That match is not one of this question's answers.")
                pairs[c["key"]] = answer
        return {"pairs": pairs}
    if kind == "ordering":
        positions = {}
        for c in snapshot["choices"]:
            value = data.get(f"position-{c['key']}", "")
            if not value.isdigit() or not 1 <= int(value) <= len(keys):
                raise InvalidResponse("Give every item a position.")
            positions[c["key"]] = int(value)
        if len(set(positions.values())) != len(positions):
            raise InvalidResponse("Give each position to one item only.")
        return {"order": sorted(positions, key=positions.get)}
    raise InvalidResponse("Unknown question kind.")


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
