"""The form that names a new personal key for /v1."""

from django import forms

from remixer.models.videos import valid_text


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        strip=True,
        validators=[valid_text],
        help_text="What the key is for, e.g. the script or machine that will use it.",
        error_messages={"required": "Name the key."},
    )
