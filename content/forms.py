from django import forms


class StudiedForm(forms.Form):
    studied = forms.TypedChoiceField(choices=[("1", "studied"), ("0", "not studied")], coerce=lambda v: v == "1")
