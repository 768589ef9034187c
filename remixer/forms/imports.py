"""The forms of files brought in: an MP4 (or a remixer export's ZIP) to import, an MP4
sent to be edited or extended, and a sidecar's Video object, under the new-video form's rules."""

import zipfile
from typing import Any

from django import forms
from django.conf import settings

from remixer.actions import imports, jobs, specs
from remixer.actions.sidecars import SIDECAR_MAX, read_sidecar
from remixer.forms.videos import TokenForm
from remixer.worker import exports


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
    """A remixer export whose declared sizes are within bounds, read from its directory."""
    try:
        with zipfile.ZipFile(upload) as archive:
            imports.check_archive(archive)
    except exports.UNREADABLE as error:
        raise forms.ValidationError(f"The ZIP cannot be read: {error}") from error
    except exports.ExportError as error:
        raise forms.ValidationError(str(error)) from error
    upload.seek(0)
