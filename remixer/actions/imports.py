"""Import of an export: each video of a remixer export's ZIP becomes an import job.

Each entry comes in through the one door (`specs.import_spec`, then `jobs.submit`): its MP4 is
copied out of the ZIP a chunk at a time into a scratch folder, then into the storage, and a
worker checks it frame by frame like any import. An entry that cannot be read fails alone, in
words. Ids are kept where they are free here, else new ones are issued; each remix is linked to
what its parent's id became. Owners named in the export are kept only for an operator (the
command, or staff), and only if they exist here; otherwise the importing user owns the video
and the original owner's name is kept on it.
"""

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File

from remixer.actions import jobs, specs
from remixer.actions.errors import NotAllowed
from remixer.actions.sidecars import SIDECAR_MAX, read_extras, read_sidecar
from remixer.files import storage
from remixer.models import VIDEO_ID_PATTERN, Video, new_video_id
from remixer.worker import exports, scratch

ENTRY_PROBLEMS = (
    ValidationError,
    exports.ExportError,
    *exports.UNREADABLE,
    storage.StorageError,
    NotAllowed,
)


@dataclass(frozen=True)
class Outcome:
    """What became of one video of the export: its import job, or why there is none."""

    old_id: str
    video: Video | None = None
    problem: str = ""


def import_export(
    source: Path | IO[bytes], *, importer: Any, token: uuid.UUID, operator: bool
) -> list[Outcome]:
    """An import job for every video the export lists, parents first.

    `token` is the form's: each entry's job token derives from it and the video's old id,
    so a resubmitted form finds the jobs the first one made."""
    with zipfile.ZipFile(source) as archive:
        placed: dict[str, str] = {}  # old id: id here
        outcomes = []
        for old_id in exports.read_manifest(archive):
            entry = Entry(archive, old_id, importer=importer, operator=operator)
            outcome = entry.submit(uuid.uuid5(token, old_id), placed)
            if outcome.video is not None:
                placed[old_id] = outcome.video.pk
            outcomes.append(outcome)
    return outcomes


class Entry:
    """One video of an export: its sidecar, its MP4, and who will own it here."""

    def __init__(self, archive: zipfile.ZipFile, old_id: str, *, importer: Any, operator: bool):
        self.archive, self.old_id = archive, old_id
        self.importer, self.operator = importer, operator

    def submit(self, token: uuid.UUID, placed: dict[str, str]) -> Outcome:
        try:
            info = self.sidecar()
            extras = read_extras(info)
            owner = self.owner(extras.get("owner") or "")
            parent_id = self.parent_id(extras, info, placed)
            with scratch.spool() as folder:
                mp4 = scratch.spool_entry(self.archive, self.video_entry(), folder)
                with mp4.open("rb") as handle:
                    spec = specs.import_spec(
                        owner=owner,
                        token=token,
                        upload=File(handle, name=mp4.name),
                        sidecar=info,
                        exempt=True,  # one upload; checking its videos bills nobody
                        video_id=free_id(self.old_id),
                        parent=Video.objects.filter(pk=parent_id).first() if parent_id else None,
                        parent_id=parent_id,
                        kept=kept(extras, owner),
                    )
            return Outcome(self.old_id, jobs.submit(spec))
        except ENTRY_PROBLEMS as error:
            return Outcome(self.old_id, problem=words(error))

    def name(self, extension: str) -> str:
        return exports.entry_name(self.old_id, extension)

    def video_entry(self) -> str:
        """The MP4's name in the ZIP, once its size is within what an import may be."""
        try:
            found = self.archive.getinfo(self.name("mp4"))
        except KeyError as error:
            raise exports.ExportError("The export has no MP4 for it.") from error
        if found.file_size > settings.REMIXER_MAX_IMPORT_BYTES:
            limit = settings.REMIXER_MAX_IMPORT_BYTES // 1024**2
            raise exports.ExportError(f"Its MP4 is larger than {limit} MB.")
        return found.filename

    def sidecar(self) -> dict[str, Any]:
        try:
            found = self.archive.getinfo(self.name("json"))
        except KeyError as error:
            raise exports.ExportError("The export has no sidecar for it.") from error
        if found.file_size > SIDECAR_MAX:
            raise exports.ExportError("Its sidecar is larger than 1 MB.")
        with self.archive.open(found) as handle:
            info = read_sidecar(handle.read(SIDECAR_MAX + 1))
        if info.get("id") != self.old_id:
            raise exports.ExportError(f"Its sidecar describes {info.get('id')!r} instead.")
        return info

    def owner(self, name: str) -> Any:
        """The user of that name, for an operator; else (or if there is none) the importer."""
        if self.operator and name:
            found = get_user_model().objects.filter(username=name).first()
            if found is not None:
                return found
        return self.importer

    def parent_id(
        self, extras: dict[str, Any], info: dict[str, Any], placed: dict[str, str]
    ) -> str | None:
        """The parent's id here: what it became in this import, else the id it had."""
        old = extras.get("parent") or info.get("remixed_from_video_id") or None
        if old is None:
            return None
        if not isinstance(old, str) or not VIDEO_ID_PATTERN.fullmatch(old):
            raise ValidationError("The sidecar's remixed_from_video_id is not a video id.")
        return placed.get(old, old)


def free_id(old_id: str) -> str:
    return new_video_id() if Video.objects.filter(pk=old_id).exists() else old_id


def kept(extras: dict[str, Any], owner: Any) -> dict[str, Any]:
    """The fields remixer keeps beside the Video object, for `specs.import_spec`."""
    named = extras.get("original_owner") or extras.get("owner") or ""
    fields = {
        "title": extras.get("title") or "",
        "strategy": extras.get("strategy") or "",
        "recipe": extras.get("recipe"),
        "original_owner": "" if named == owner.get_username() else named,
    }
    if extras.get("created_at") is not None:
        fields["created_at"] = extras["created_at"]
    return fields


def words(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, (zipfile.BadZipFile, RuntimeError, NotImplementedError)):
        return f"Its copy in the ZIP cannot be read ({error})."
    return str(error)
