"""Import of an export: each video of a remixer export's ZIP becomes an import job.

From the Import page the request only stores the ZIP (`receive_export`) and a worker reads it
(`unpack`); the command reads it itself (`import_export`). Before anything is written the ZIP's
sizes are checked (`check_archive`): the entries' declared sizes together within
`REMIXER_MAX_IMPORT_BYTES`, and no MP4 growing more when unpacked than video can (`ceiling`).
Each entry then comes in through the one door (`specs.import_spec`, then `jobs.submit`): its MP4
is copied out of the ZIP a chunk at a time, stopped at once past its bounds, into a scratch
folder, then into the storage, and a worker checks it frame by frame like any import. A
person's entries count against their active-job limit: the worker makes jobs while they have
room and looks again every `RETRY_SECONDS` for the rest. An entry that cannot be read fails
alone, in words. Ids are kept where they are free here, else new ones are issued; each remix is
linked to what its parent's id became, or to the importer's own video of that id; a parent
that is neither is dropped, with a note. Owners named in the export are kept only for an
operator (the command, or staff), and only if they exist here; otherwise the importing user
owns the video and the original owner's name is kept on it.
"""

import logging
import math
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django_tasks import task

from remixer.actions import jobs, specs
from remixer.actions.errors import NotAllowed, TooManyJobs, check_can_make
from remixer.actions.sidecars import SIDECAR_MAX, read_extras, read_sidecar
from remixer.files import storage
from remixer.models import VIDEO_ID_PATTERN, ExportImport, Video, new_video_id
from remixer.worker import exports, scratch

logger = logging.getLogger(__name__)

# Video barely compresses: H.264/H.265/AV1 and AAC are entropy-coded already, so deflate wins
# a few percent on the media and more only on the index (moov), a small part of the file.
# An MP4 entry may unpack to 1.5 times its compressed bytes, plus 1 MiB for a tiny clip
# whose index is most of it; a zero-filled "video" grows a thousandfold and stops at once.
MP4_GROWTH = 1.5
MP4_ALLOWANCE = 1024**2
RETRY_SECONDS = 10  # how soon a worker looks again for room for an export's waiting videos
# A reading untouched this long lost its worker (each entry read touches it): the sweep
# queues it again; entries already made are found again by their tokens, never made twice.
STALLED = timedelta(minutes=15)
WAITING = (ExportImport.Status.QUEUED, ExportImport.Status.WAITING)

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
    """An import job for every video the export lists, parents first, made here and now
    (the command's way; a person past their active-job limit gets that as each problem).

    `token` is the form's: each entry's job token derives from it and the video's old id,
    so a resubmitted form finds the jobs the first one made."""
    if not operator:
        check_can_make(importer)
    with zipfile.ZipFile(source) as archive:
        placed: dict[str, str] = {}  # old id: id here
        outcomes = []
        for old_id in check_archive(archive):
            entry = Entry(archive, old_id, importer=importer, operator=operator)
            try:
                outcome = entry.submit(uuid.uuid5(token, old_id), placed)
            except TooManyJobs as error:
                outcome = Outcome(old_id, problem=str(error))
            if outcome.video is not None:
                placed[old_id] = outcome.video.pk
            outcomes.append(outcome)
    return outcomes


def ceiling(compressed: int) -> int:
    """The most bytes an MP4 entry of `compressed` bytes in the ZIP may unpack to."""
    return math.floor(compressed * MP4_GROWTH) + MP4_ALLOWANCE


def check_archive(archive: zipfile.ZipFile) -> list[str]:
    """The ids an export's manifest lists, once its declared sizes are within bounds: all
    its entries within `REMIXER_MAX_IMPORT_BYTES`, and each MP4 within `ceiling` of its
    compressed size. Read from the ZIP's directory alone, before anything is written."""
    ids = exports.read_manifest(archive)
    found = archive.infolist()
    declared, limit = sum(info.file_size for info in found), settings.REMIXER_MAX_IMPORT_BYTES
    if declared > limit:
        raise exports.ExportError(
            f"Its files come to {filesizeformat(declared)} unpacked, and an import may be "
            f"{filesizeformat(limit)} at most."
        )
    for info in found:
        if info.filename.lower().endswith(".mp4") and info.file_size > ceiling(info.compress_size):
            raise exports.ExportError(
                f"{info.filename} would unpack from {info.compress_size} to {info.file_size} "
                f"bytes, more than a video can shrink ({MP4_GROWTH}\u00d7 at most): it is no "
                "export's video."
            )
    return ids


# The Import page's way: the request stores the ZIP, a worker reads it.


def receive_export(upload: File[Any], *, importer: Any, token: uuid.UUID, operator: bool) -> Any:
    """The ZIP stored as it came and a worker asked to read it, or what the same form made."""
    check_can_make(importer)
    earlier = ExportImport.objects.filter(owner=importer, form_token=token).first()
    if earlier is not None:
        return earlier
    pk = uuid.uuid4()
    name = f"imports/{pk}.zip"
    storage.save_file(upload, name)
    try:
        with transaction.atomic():
            made = ExportImport.objects.create(
                id=pk, owner=importer, form_token=token, operator=operator, upload=name
            )
            unpack_export.enqueue(str(pk))
    except IntegrityError:  # a concurrent copy of this form won
        storage.delete(name)
        return ExportImport.objects.get(owner=importer, form_token=token)
    return made


@task(queue_name="render")
def unpack_export(export_import_id: str) -> None:
    unpack(export_import_id)


def unpack(export_import_id: str) -> None:
    """Claim a stored export's ZIP and make import jobs of its videos while its owner has
    room (an operator's all at once); look again later for the rest."""
    claimable = ExportImport.objects.filter(pk=export_import_id, status__in=WAITING)
    if not claimable.update(status=ExportImport.Status.IN_PROGRESS, updated_at=timezone.now()):
        return
    row = ExportImport.objects.select_related("owner").get(pk=export_import_id)
    if not row.operator and not jobs.has_room(row.owner):
        wait(row)
        return
    try:
        with scratch.spool() as folder:
            path = storage.fetch(row.upload, folder / "export.zip")
            with zipfile.ZipFile(path) as archive:
                done = read_entries(archive, row)
    except (exports.ExportError, *exports.UNREADABLE, storage.StorageError) as error:
        end(row, ExportImport.Status.FAILED, f"The ZIP could not be read: {words(error)}")
        return
    if done:
        end(row, ExportImport.Status.COMPLETED)
    else:
        wait(row)


def read_entries(archive: zipfile.ZipFile, row: Any) -> bool:
    """Import jobs for the entries not yet read, while the owner has room; whether all are."""
    ids = check_archive(archive)
    row.video_count = len(ids)
    row.save(update_fields=["video_count", "updated_at"])
    for old_id in ids:
        if old_id in row.placed or old_id in row.problems:
            continue
        if not row.operator and not jobs.has_room(row.owner):
            return False
        entry = Entry(archive, old_id, importer=row.owner, operator=row.operator)
        try:
            outcome = entry.submit(uuid.uuid5(row.form_token, old_id), row.placed)
        except TooManyJobs:  # a job of theirs began meanwhile
            return False
        if outcome.video is not None:
            row.placed[old_id] = outcome.video.pk
        else:
            row.problems[old_id] = outcome.problem
        row.save(update_fields=["placed", "problems", "updated_at"])
    return True


def wait(row: Any) -> None:
    """The owner has no room now: a worker looks again in a while."""
    ExportImport.objects.filter(pk=row.pk).update(
        status=ExportImport.Status.WAITING, updated_at=timezone.now()
    )
    later = timezone.now() + timedelta(seconds=RETRY_SECONDS)
    unpack_export.using(run_after=later).enqueue(str(row.pk))


def end(row: Any, status: str, message: str = "") -> None:
    """The ZIP is read (or cannot be): its stored copy goes."""
    ExportImport.objects.filter(pk=row.pk).update(
        status=status, error_message=message, updated_at=timezone.now()
    )
    try:
        storage.delete(row.upload)
    except storage.StorageError:
        logger.exception("The ZIP of the export's import %s stays in the storage", row.pk)


def resume_stalled() -> int:
    """The workers' sweep: exports' ZIPs whose reading worker stopped are read again."""
    before = timezone.now() - STALLED
    stalled = ExportImport.objects.filter(
        status=ExportImport.Status.IN_PROGRESS, updated_at__lt=before
    )
    resumed = 0
    for pk in stalled.values_list("pk", flat=True):
        with transaction.atomic():
            again = stalled.filter(pk=pk).update(
                status=ExportImport.Status.QUEUED, updated_at=timezone.now()
            )
            if again:
                unpack_export.enqueue(str(pk))
                resumed += again
    return resumed


def recent_export_imports(user: Any) -> list[Any]:
    """The person's latest exports given to the Import page, for that page to follow."""
    return list(ExportImport.objects.filter(owner=user)[:5])


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
            parent_id, dropped = self.parent_id(extras, info, placed)
            fields = kept(extras, owner)
            if dropped:
                fields["note"] = f"Imported from {self.old_id}. {dropped}"
            with scratch.spool() as folder:
                mp4 = copy_entry(self.archive, self.video_entry(), folder)
                with mp4.open("rb") as handle:
                    spec = specs.import_spec(
                        owner=owner,
                        token=token,
                        upload=File(handle, name=mp4.name),
                        sidecar=info,
                        exempt=self.operator,  # a person's count against their limit
                        video_id=free_id(self.old_id),
                        parent=Video.objects.filter(pk=parent_id).first() if parent_id else None,
                        parent_id=parent_id,
                        kept=fields,
                    )
            return Outcome(self.old_id, jobs.submit(spec))
        except TooManyJobs:
            raise  # the entry waits its turn; it is no problem of its own
        except ENTRY_PROBLEMS as error:
            return Outcome(self.old_id, problem=words(error))

    def name(self, extension: str) -> str:
        return exports.entry_name(self.old_id, extension)

    def video_entry(self) -> zipfile.ZipInfo:
        """The MP4's entry in the ZIP (its size is within bounds: `check_archive`)."""
        try:
            return self.archive.getinfo(self.name("mp4"))
        except KeyError as error:
            raise exports.ExportError("The export has no MP4 for it.") from error

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
    ) -> tuple[str | None, str]:
        """The parent's id here: what it became in this import, else the id it had if that
        is the importer's own video (an operator's: any); else none, and why, for a note."""
        old = extras.get("parent") or info.get("remixed_from_video_id") or None
        if old is None:
            return None, ""
        if not isinstance(old, str) or not VIDEO_ID_PATTERN.fullmatch(old):
            raise ValidationError("The sidecar's remixed_from_video_id is not a video id.")
        if old in placed:
            return placed[old], ""
        if self.operator or Video.objects.filter(pk=old, owner=self.importer).exists():
            return old, ""
        return None, (
            f"Its sidecar names {old} as its parent, which is neither in the export nor "
            "yours here, so it was not linked to it."
        )


def copy_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, folder: Path) -> Path:
    """An export's MP4 copied out into `folder` a chunk at a time, stopped at once when its
    bytes pass its declared size or what its compressed bytes can hold (`ceiling`)."""
    path = folder / Path(info.filename).name
    bound = min(info.file_size, ceiling(info.compress_size))
    written = 0
    with archive.open(info) as entry, path.open("wb") as out:
        while chunk := entry.read(storage.CHUNK):
            written += len(chunk)
            if written > bound:
                raise exports.ExportError(
                    "Its MP4 unpacks to more bytes than the ZIP declares or a video can "
                    "hold, so it was stopped."
                )
            out.write(chunk)
    return path


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
