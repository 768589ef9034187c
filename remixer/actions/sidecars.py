"""Reading a sidecar: the Video object kept beside an MP4 (an import's, or an export entry's),
and the "remixer" part an export adds, each held to the rules of the forms that made it.
A sidecar that breaks them is refused with a ValidationError that names the field."""

import json
import math
import time
from datetime import UTC, datetime
from typing import Any

from django import forms

from remixer.lib.text import is_text, strict_int
from remixer.models import VIDEO_ID_PATTERN, Video
from remixer.models.recipes import RecipeError, stored_recipe
from remixer.models.videos import PROMPT_MAX, valid_text

EARLIEST = 1104537600  # 2005-01-01: no video from elsewhere is older


def latest_time() -> int:
    """The latest a sidecar's time may be: a day from now, as other clocks may run ahead."""
    return int(time.time()) + 86400


SIDECAR_MAX = 1024**2


def read_sidecar(raw: bytes) -> dict[str, Any]:
    """A sidecar's Video object, held to the new-video form's rules, or ValidationError."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise forms.ValidationError("The sidecar is not valid JSON.") from error
    if not isinstance(data, dict):
        raise forms.ValidationError("The sidecar must be one Video object (a JSON object).")
    if not storable(data):
        raise forms.ValidationError(
            "The sidecar holds text that is not valid UTF-8, an unpaired surrogate, a NUL "
            "character, or a number that is not finite."
        )
    form = SidecarForm(data)
    if not form.is_valid():
        raise first_error(form, "")
    return data | {name: form.cleaned_data[name] for name in form.fields if name in data}


def storable(value: object) -> bool:
    """Whether every string and number in a JSON value can be stored and sent as it is."""
    if isinstance(value, str):
        return is_text(value)
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(storable(item) for item in value)
    if isinstance(value, dict):
        return all(storable(key) and storable(item) for key, item in value.items())
    return True


MAX_IMPORT_SECONDS = 24 * 3600


class JsonTextField(forms.CharField):
    """Text from a JSON document: a number or an object where text belongs is refused."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, strip=False, validators=[valid_text], **kwargs)

    def to_python(self, value: Any) -> str | None:
        if value is not None and not isinstance(value, str):
            raise forms.ValidationError("Give it as text.", code="invalid_type")
        return super().to_python(value)


class SidecarForm(forms.Form):
    """The fields of a sidecar remixer keeps, under the new-video form's rules."""

    id = JsonTextField(max_length=200)
    prompt = JsonTextField(max_length=PROMPT_MAX)
    model = JsonTextField(max_length=200)
    # A kept video may come from a server with other sizes and lengths than remixer offers.
    size = forms.RegexField(
        required=False,
        regex=r"^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$",
        error_messages={"invalid": "Give it as WIDTHxHEIGHT, e.g. 1920x1080."},
    )
    seconds = forms.Field(required=False)
    created_at = forms.Field(required=False)

    def clean_seconds(self) -> str | None:
        value = self.cleaned_data.get("seconds")
        if value is None or value == "":
            return None
        found = strict_int(value, low=1, high=MAX_IMPORT_SECONDS)
        if found is None:
            raise forms.ValidationError(
                f"Give it as whole seconds, from 1 to {MAX_IMPORT_SECONDS}."
            )
        return str(found)

    def clean_created_at(self) -> int | None:
        """Unix seconds, from 2005 to a day from now."""
        value = self.cleaned_data.get("created_at")
        if value is None:
            return None
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        found = strict_int(value, low=EARLIEST, high=latest_time())
        if found is None:
            raise forms.ValidationError(
                "Give it as Unix seconds (a whole number) from 2005 to today."
            )
        return found


class ExtrasForm(forms.Form):
    """The "remixer" part of an export's sidecar, under the rules of the forms that made it."""

    title = JsonTextField(max_length=200)
    kind = forms.ChoiceField(required=False, choices=Video.Kind.choices)
    strategy = forms.ChoiceField(required=False, choices=Video.Strategy.choices)
    parent = forms.RegexField(required=False, regex=f"^{VIDEO_ID_PATTERN.pattern}$", strip=False)
    owner = JsonTextField(max_length=150)
    original_owner = JsonTextField(max_length=150)
    created_at = forms.DateTimeField(required=False)
    file_sha256 = forms.RegexField(required=False, regex="^[0-9a-f]{64}$", strip=False)
    recipe = forms.Field(required=False)

    def clean_created_at(self) -> datetime | None:
        """From 2005 to a day from now, as a sidecar's Unix seconds may be."""
        moment: datetime | None = self.cleaned_data.get("created_at")
        if moment is None:
            return None
        if not EARLIEST <= moment.timestamp() <= latest_time():
            raise forms.ValidationError("Give it as a time from 2005 to today.")
        return moment.astimezone(UTC)

    def clean_recipe(self) -> dict[str, Any] | None:
        recipe = self.cleaned_data.get("recipe")
        if recipe in (None, ""):
            return None
        if not isinstance(recipe, dict):
            raise forms.ValidationError("Give it as a JSON object.")
        try:
            stored_recipe(recipe)  # one the engine can follow, as a remix's was
        except RecipeError as error:
            raise forms.ValidationError(str(error)) from error
        return recipe


def read_extras(sidecar: dict[str, Any]) -> dict[str, Any]:
    """The extras of an export's sidecar, checked; ValidationError says what is wrong."""
    extras = sidecar.get("remixer")
    if not isinstance(extras, dict):
        raise forms.ValidationError('The sidecar has no "remixer" part: it is not from an export.')
    form = ExtrasForm({name: value for name, value in extras.items() if value is not None})
    if not form.is_valid():
        raise first_error(form, "remixer.")
    return form.cleaned_data


def first_error(form: forms.Form, field_prefix: str) -> forms.ValidationError:
    """The first field's errors as one sentence: "The sidecar's size: Give it as …"."""
    field, errors = next(iter(form.errors.as_data().items()))
    said = " ".join(message for error in errors for message in error.messages)
    return forms.ValidationError(f"The sidecar's {field_prefix}{field}: {said}")
