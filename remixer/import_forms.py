"""The forms of files brought in: an MP4 (or a remixer export's ZIP) to import, an MP4
sent to be edited or extended, and a sidecar's Video object, under the new-video form's rules."""

import json
import math
import time
import zipfile
from typing import Any

from django import forms
from django.conf import settings

from remixer import jobs, packing, specs
from remixer.forms import PROMPT_MAX, TokenForm, is_text, strict_int, valid_text

EARLIEST = 1104537600  # 2005-01-01: no video from elsewhere is older


def latest_time() -> int:
    """The latest a sidecar's time may be: a day from now, as other clocks may run ahead."""
    return int(time.time()) + 86400


SIDECAR_MAX = 1024**2


class ImportForm(TokenForm):
    accepts_exports = True  # the Import page's; an upload to edit takes one MP4 only
    is_export = False  # a remixer export's ZIP, rather than one MP4
    video = forms.FileField(help_text="An MP4 file, or the ZIP of a remixer export.")
    sidecar = forms.FileField(
        required=False,
        help_text="Optional: the Video object as the API returned it (JSON), to keep its "
        "prompt, model, size, seconds and creation time.",
    )

    def clean_video(self) -> Any:
        upload = self.cleaned_data["video"]
        if upload.size > settings.REMIXER_MAX_IMPORT_BYTES:
            limit = settings.REMIXER_MAX_IMPORT_BYTES // 1024**2
            raise forms.ValidationError(f"The file is larger than {limit} MB.")
        head = upload.read(12)
        upload.seek(0)
        self.is_export = self.accepts_exports and head.startswith(b"PK\x03\x04")
        if self.is_export:
            check_export(upload)
        elif head[4:8] != b"ftyp":
            also = " or a remixer export" if self.accepts_exports else ""
            raise forms.ValidationError(f"The file is not an MP4 video{also}.")
        return upload

    def clean_sidecar(self) -> dict[str, Any] | None:
        upload = self.cleaned_data.get("sidecar")
        if not upload:
            return None
        if upload.size > SIDECAR_MAX:
            raise forms.ValidationError("The sidecar is larger than 1 MB.")
        return read_sidecar(upload.read())

    def spec(self, *, owner: Any) -> jobs.JobSpec:
        """Spools the upload to the storage: the request only streams, a worker checks."""
        return specs.import_spec(
            owner=owner,
            token=self.cleaned_data["form_token"],
            upload=self.cleaned_data["video"],
            sidecar=self.cleaned_data["sidecar"],
        )


class VideoUploadForm(ImportForm):
    """One MP4 sent to be worked on (an edit's upload): imported first, never an export."""

    accepts_exports = False


def check_export(upload: Any) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            packing.read_manifest(archive)
    except packing.UNREADABLE as error:
        raise forms.ValidationError(f"The ZIP cannot be read: {error}") from error
    except packing.ExportError as error:
        raise forms.ValidationError(str(error)) from error
    upload.seek(0)


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
        field, errors = next(iter(form.errors.as_data().items()))
        said = " ".join(message for error in errors for message in error.messages)
        raise forms.ValidationError(f"The sidecar's {field}: {said}")
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
