"""An export imported again: into an empty library or beside the videos it holds, each
damaged or missing entry failing alone, through the command and through the import page."""

import io
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from remixer.actions import imports
from remixer.files import attempts, storage
from remixer.models import Video
from remixer.tests.support.export_zips import (
    check_imports,
    contents,
    export_to,
    read_exports,
    wipe,
)
from remixer.worker.exports import ExportError

pytestmark = pytest.mark.django_db


def comparable(sidecar: dict) -> dict:
    """A sidecar as it should survive a round trip: the completion time is the import's, and
    a video whose owner is not here names the original owner beside its new one."""
    extras = dict(sidecar["remixer"])
    extras["owner"] = extras.pop("original_owner") or extras["owner"]
    return {**sidecar, "completed_at": None, "remixer": extras}


def test_a_round_trip_into_an_empty_library_keeps_videos_files_and_family(
    stores, family, ana, ben, tmp_path
):
    exported = contents(export_to(tmp_path / "first.zip"))
    waves, sepia, mirrored = family["waves"], family["sepia"], family["mirrored"]
    assert list(exported) == [waves.pk, sepia.pk, mirrored.pk]  # parents first, none trashed
    assert exported[sepia.pk]["sidecar"]["remixer"] | {"created_at": None} == {
        "title": "Sepia waves",
        "kind": "remix",
        "strategy": "local",
        "recipe": sepia.recipe,
        "parent": waves.pk,
        "owner": "ben",
        "original_owner": "",
        "created_at": None,
        "file_size": sepia.file_size,
        "file_sha256": sepia.file_sha256,
    }
    assert exported[sepia.pk]["sidecar"]["id"] == sepia.pk
    wipe()
    ben.delete()  # an owner this library does not have
    outcomes = imports.import_export(
        tmp_path / "first.zip", importer=ana, token=uuid.uuid4(), operator=True
    )
    assert [outcome.problem for outcome in outcomes] == ["", "", ""]
    imported = check_imports()
    assert [(v.pk, v.status) for v in imported] == [(pk, "completed") for pk in exported]
    again = contents(export_to(tmp_path / "again.zip"))
    assert {pk: comparable(found["sidecar"]) for pk, found in again.items()} == {
        pk: comparable(found["sidecar"]) for pk, found in exported.items()
    }
    assert {pk: found["sha256"] for pk, found in again.items()} == {
        pk: found["sha256"] for pk, found in exported.items()
    }
    rows = {video.pk: video for video in imported}
    assert rows[sepia.pk].remixed_from_id == waves.pk
    assert rows[mirrored.pk].remixed_from_id == sepia.pk
    assert (rows[sepia.pk].owner, rows[sepia.pk].original_owner) == (ana, "ben")
    assert rows[sepia.pk].created_at == sepia.created_at
    assert rows[sepia.pk].file_sha256 == exported[sepia.pk]["sha256"]


def test_a_taken_id_gets_a_new_one_and_its_remixes_follow(family, ana, tmp_path):
    path = export_to(tmp_path / "export.zip")
    waves, sepia, mirrored = family["waves"], family["sepia"], family["mirrored"]
    old_ids = [waves.pk, sepia.pk, mirrored.pk]
    attempts.delete_video_files(mirrored.pk)
    Video.objects.filter(pk=mirrored.pk).delete()  # its id is free again; its parents' are not
    outcomes = imports.import_export(path, importer=ana, token=uuid.uuid4(), operator=True)
    placed = {outcome.old_id: outcome.video.pk for outcome in outcomes}
    assert placed[mirrored.pk] == mirrored.pk
    assert placed[waves.pk] != waves.pk and placed[sepia.pk] != sepia.pk
    check_imports()
    new_waves, new_sepia, new_mirrored = (Video.objects.get(pk=placed[pk]) for pk in old_ids)
    assert new_sepia.remixed_from_id == new_waves.pk
    assert new_sepia.remixed_from_video_id == new_waves.pk
    assert new_mirrored.remixed_from_id == new_sepia.pk
    assert new_sepia.owner.username == "ben" and new_sepia.original_owner == ""
    assert new_sepia.note == f"Imported from {sepia.pk}."
    assert all(v.status == "completed" for v in (new_waves, new_sepia, new_mirrored))
    assert (new_sepia.kind, new_sepia.strategy, new_sepia.title) == (
        "remix",
        "local",
        "Sepia waves",
    )
    assert new_waves.kind == "create"
    assert new_sepia.recipe == sepia.recipe and new_sepia.prompt == "sepia"


def rewritten(path: Path, out: Path, name: str, change) -> Path:
    """The ZIP again, its entries whole by their CRCs, one of them changed on the way."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, change(data) if info.filename == name else data)
    return out


def cut_short(data: bytes) -> bytes:
    return data[: int(len(data) * 0.6)]


def one_byte_changed(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (cut_short, "This file could not be opened as a video"),
        (one_byte_changed, "The file is not the one that was exported"),
    ],
)
def test_a_damaged_entry_fails_alone_in_words(family, ana, tmp_path, capsys, change, message):
    sepia = family["sepia"]
    path = export_to(tmp_path / "export.zip")
    damaged = rewritten(path, tmp_path / "damaged.zip", f"videos/{sepia.pk}.mp4", change)
    wipe()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_videos", str(damaged), owner="ana")
    out, err = capsys.readouterr()
    broken = Video.objects.get(pk=sepia.pk)
    assert (broken.status, broken.error_code) == ("failed", "invalid_video")
    assert broken.error_message.startswith(message)
    assert f"{sepia.pk}: not imported: {message}" in err
    others = Video.objects.exclude(pk=sepia.pk)
    assert sorted(v.status for v in others) == ["completed", "completed"]
    assert f"imported as {family['mirrored'].pk}" in out
    assert Video.objects.get(pk=family["mirrored"].pk).remixed_from_id == sepia.pk


def test_an_entry_the_zip_cannot_give_back_fails_alone(family, ana, tmp_path):
    """A bit flipped in the ZIP's copy: the CRC says so, and that video makes no job."""
    sepia = family["sepia"]
    path = export_to(tmp_path / "export.zip")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        entry = archive.getinfo(f"videos/{sepia.pk}.mp4")
    start = entry.header_offset + 30 + len(entry.filename.encode()) + len(entry.extra)
    raw[start + 5000] ^= 0xFF
    path.write_bytes(bytes(raw))
    wipe()
    outcomes = imports.import_export(path, importer=ana, token=uuid.uuid4(), operator=False)
    problems = {outcome.old_id: outcome.problem for outcome in outcomes}
    assert problems[sepia.pk].startswith("Its copy in the ZIP cannot be read (Bad CRC-32")
    assert [pk for pk, problem in problems.items() if not problem] == [
        family["waves"].pk,
        family["mirrored"].pk,
    ]
    assert not Video.objects.filter(pk=sepia.pk).exists()
    assert not list((storage.local_path("imports")).glob(f"{sepia.pk}*"))


def test_an_entry_missing_or_too_large_fails_alone(family, ana, tmp_path, settings):
    sepia, waves = family["sepia"], family["waves"]
    path = export_to(tmp_path / "export.zip")
    holed = tmp_path / "holed.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(holed, "w") as target:
        for info in source.infolist():
            if info.filename != f"videos/{sepia.pk}.mp4":
                target.writestr(info, source.read(info))
    wipe()
    outcomes = imports.import_export(holed, importer=ana, token=uuid.uuid4(), operator=True)
    assert [(outcome.old_id, outcome.problem) for outcome in outcomes if outcome.problem] == [
        (sepia.pk, "The export has no MP4 for it.")
    ]
    wipe()
    settings.REMIXER_MAX_IMPORT_BYTES = waves.file_size - 1  # the entries together: refused
    with pytest.raises(ExportError, match="an import may be .* at most"):
        imports.import_export(holed, importer=ana, token=uuid.uuid4(), operator=True)
    assert not Video.objects.exists()


def test_the_import_page_takes_an_export(family, client, ana, ben, tmp_path):
    """Through the page a creator's import is theirs: other owners' names are kept beside."""
    path = export_to(tmp_path / "export.zip")
    wipe()
    client.force_login(ana)
    token = str(uuid.uuid4())
    for _ in range(2):  # sent again, the form finds the ZIP it stored
        with path.open("rb") as handle:
            response = client.post(
                "/videos/import", {"video": handle, "form_token": token}, follow=True
            )
        assert "Uploaded the export: a worker reads it" in response.content.decode()
    assert not Video.objects.exists()  # the request only stored the ZIP
    read_exports()
    assert Video.objects.count() == 3
    waiting = {path.stem for path in storage.local_path("imports").glob("*.mp4")}
    assert waiting == family_ids(family)  # the second copies' uploads were discarded
    imported = check_imports()
    assert [v.status for v in imported] == ["completed"] * 3
    sepia = Video.objects.get(pk=family["sepia"].pk)
    assert (sepia.owner, sepia.original_owner) == (ana, "ben")
    assert sepia.remixed_from_id == family["waves"].pk


def family_ids(family: dict[str, Video]) -> set[str]:
    return {family[name].pk for name in ("waves", "sepia", "mirrored")}


def notes_zip() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return data.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (notes_zip(), "The ZIP is not a remixer export: it has no manifest.json."),
        (notes_zip()[:40], "The ZIP cannot be read: File is not a zip file"),
    ],
)
def test_a_zip_that_is_no_export_is_refused_and_changes_nothing(
    client, ana, media_root, data, message
):
    client.force_login(ana)
    upload = io.BytesIO(data)
    upload.name = "notes.zip"
    response = client.post("/videos/import", {"video": upload, "form_token": str(uuid.uuid4())})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Video.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]
