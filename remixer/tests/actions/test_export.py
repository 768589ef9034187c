"""Exports: the chosen videos in one ZIP, written by a worker, and imported again elsewhere."""

import hashlib
import io
import json
import re
import struct
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path

import av
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone

from remixer import tasks
from remixer.actions import imports
from remixer.files import storage
from remixer.lib import media
from remixer.models import Video
from remixer.models.exports import Export
from remixer.models.recipes import parse_recipe
from remixer.tests.conftest import finished_video, log_in, shoot, video_row
from remixer.worker import exports

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def clips(clip_path: Path) -> list[Path]:
    """Three MP4s with the same frames and different bytes (their titles differ), so a
    file that lands on the wrong video shows in its checksum."""
    made = []
    for number in range(3):
        path = clip_path.with_name(f"clip-{number}.mp4")
        with av.open(str(clip_path)) as source, av.open(str(path), "w") as output:
            output.metadata["title"] = f"clip {number}"
            stream = source.streams.video[0]
            copy = output.add_stream_from_template(stream)
            for packet in source.demux(stream):
                if packet.dts is not None:
                    packet.stream = copy
                    output.mux(packet)
        made.append(path)
    return made


def kept_video(owner: User, clip: Path, tmp_path: Path, **fields: object) -> Video:
    """A finished video as the pipeline leaves it: its file, thumbnail, size and SHA-256."""
    video = finished_video(owner, clip, **fields)
    thumbnail = tmp_path / f"{video.pk}.webp"
    media.make_thumbnail(clip, thumbnail)
    video.thumbnail_file.name = storage.save(thumbnail, f"videos/{video.pk}/thumbnail.webp")
    video.file_size, video.file_sha256 = media.size_and_sha256(clip)
    video.save()
    return video


@pytest.fixture
def family(ana, ben, clips, tmp_path) -> dict[str, Video]:
    """Waves (ana's), its remix by ben, and ana's remix of that; one trashed and one failed
    video, which no export holds."""
    waves = kept_video(ana, clips[0], tmp_path, title="Waves", prompt="calm blue waves")
    sepia = kept_video(
        ben,
        clips[1],
        tmp_path,
        title="Sepia waves",
        prompt="sepia",
        kind=Video.Kind.REMIX,
        strategy=Video.Strategy.LOCAL,
        recipe=parse_recipe("sepia").to_json(),
        remixed_from=waves,
        remixed_from_video_id=waves.pk,
        created_at=waves.created_at + timedelta(minutes=1),
    )
    mirrored = kept_video(
        ana,
        clips[2],
        tmp_path,
        prompt="mirror it",
        kind=Video.Kind.REMIX,
        strategy=Video.Strategy.LOCAL,
        recipe=parse_recipe("mirror it").to_json(),
        remixed_from=sepia,
        remixed_from_video_id=sepia.pk,
        created_at=waves.created_at + timedelta(minutes=2),
    )
    trashed = kept_video(ana, clips[0], tmp_path, prompt="binned", trashed_at=timezone.now())
    failed = video_row(ana, prompt="broke", status=Video.Status.FAILED)
    return {
        "waves": waves,
        "sepia": sepia,
        "mirrored": mirrored,
        "trashed": trashed,
        "failed": failed,
    }


def export_to(path: Path, **options: object) -> Path:
    videos = exports.parents_first(exports.exportable(Video.objects.all()).select_related("owner"))
    exports.write_export(videos, path, **options)
    return path


def contents(path: Path) -> dict[str, dict]:
    """Each video's sidecar and the SHA-256 of its MP4, as the ZIP holds them, by old id."""
    found = {}
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        for old_id in exports.read_manifest(archive):
            sidecar = json.loads(archive.read(f"videos/{old_id}.json"))
            digest = hashlib.sha256(archive.read(f"videos/{old_id}.mp4")).hexdigest()
            found[old_id] = {"sidecar": sidecar, "sha256": digest}
    return found


def wipe() -> None:
    """An empty library: no rows, no files."""
    for video in Video.objects.all():
        storage.delete_video_files(video.pk)
    Video.objects.all().delete()


def check_imports() -> list[Video]:
    """What a worker does with each import job the ZIP made."""
    for video in Video.objects.filter(status="queued", kind="import"):
        tasks.import_video.call(video.pk)
    return list(Video.objects.order_by("created_at"))


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
    storage.delete_video_files(mirrored.pk)
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
    settings.REMIXER_MAX_IMPORT_BYTES = waves.file_size - 1
    outcomes = imports.import_export(holed, importer=ana, token=uuid.uuid4(), operator=True)
    assert (outcomes[0].old_id, outcomes[0].problem) == (waves.pk, "Its MP4 is larger than 0 MB.")
    assert not Video.objects.exists()


def zip64_fields(raw: bytes, info: zipfile.ZipInfo) -> bool:
    """Whether the entry's local header carries the ZIP64 extended information field."""
    header = raw[info.header_offset : info.header_offset + 30]
    assert header[:4] == b"PK\x03\x04"
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    extra = raw[info.header_offset + 30 + name_length :][:extra_length]
    while len(extra) >= 4:
        field, length = struct.unpack("<HH", extra[:4])
        if field == 0x0001:
            return True
        extra = extra[4 + length :]
    return False


def test_the_writer_writes_zip64_records(family, tmp_path, monkeypatch):
    told: list[tuple[int, int]] = []
    progress = lambda done, total: told.append((done, total))  # noqa: E731
    forced = export_to(tmp_path / "forced.zip", force_zip64=True, on_progress=progress)
    total = sum(family[name].file_size for name in ("waves", "sepia", "mirrored"))
    assert len(told) > 3 and told[-1] == (total, total)  # told as the bytes go, chunk by chunk
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    raw = forced.read_bytes()
    with zipfile.ZipFile(forced) as archive:
        files = [i for i in archive.infolist() if i.filename.endswith((".mp4", ".webp"))]
        assert len(files) == 6 and all(zip64_fields(raw, info) for info in files)
    assert contents(forced) == contents(export_to(tmp_path / "plain.zip"))
    # As if every file were past 4 GiB: ZIP64 sizes in the central directory, and the
    # ZIP64 end of central directory record and its locator.
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1000)
    large = export_to(tmp_path / "large.zip")
    raw = large.read_bytes()
    assert b"PK\x06\x06" in raw and b"PK\x06\x07" in raw
    monkeypatch.undo()
    with zipfile.ZipFile(large) as archive:
        assert archive.testzip() is None
        assert any(b"\x01\x00" in info.extra[:2] for info in archive.infolist())
    assert contents(large) == contents(forced)


def test_the_export_page_builds_a_zip_only_its_owner_may_download(
    stores, family, client, ana, ben, staff
):
    client.force_login(ana)
    library = client.get("/").content.decode()
    assert 'formaction="/exports">Export…</button>' in library  # ticked cards come along
    ticked = client.get(f"/exports?v={family['sepia'].pk}").content.decode()
    assert f'value="{family["sepia"].pk}" checked>' in ticked
    page = client.get("/exports")
    assert family["sepia"].pk in page.content.decode()
    assert family["trashed"].pk not in page.content.decode()
    assert "Export everything</button>" not in page.content.decode()
    refused = client.post("/exports", {"scope": "all"})
    assert (
        refused.status_code == 400
        and "Only staff may export everything." in refused.content.decode()
    )
    response = client.post("/exports", {"scope": "selected", "v": [family["sepia"].pk]})
    export = Export.objects.get()
    assert response["Location"] == export.get_absolute_url()
    waiting = client.get(f"/exports/{export.pk}/status").content.decode()
    assert "Waiting for a worker" in waiting and "hx-trigger" in waiting
    tasks.build_export.call(str(export.pk))
    done = client.get(f"/exports/{export.pk}/status").content.decode()
    assert "Download the ZIP" in done and "hx-trigger" not in done
    assert "1 video," in done
    client.force_login(ben)
    assert client.get(f"/exports/{export.pk}").status_code == 404
    assert client.get(f"/exports/{export.pk}/download").status_code == 404
    client.force_login(staff)
    download = client.get(f"/exports/{export.pk}/download")
    assert download.status_code == (302 if stores == "s3" else 200)  # s3: a presigned URL
    if stores == "s3":
        return
    client.force_login(ana)
    download = client.get(f"/exports/{export.pk}/download")
    assert download.status_code == 200
    assert "remixer-export-" in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert exports.read_manifest(archive) == [family["sepia"].pk]
    partial = client.get(f"/exports/{export.pk}/download", headers={"Range": "bytes=0-3"})
    assert partial.status_code == 206 and b"".join(partial.streaming_content) == b"PK\x03\x04"


def test_an_expired_export_is_refused_and_its_file_removed(family, client, ana):
    client.force_login(ana)
    client.post("/exports", {"scope": "mine"})
    export = Export.objects.get()
    tasks.build_export.call(str(export.pk))
    export.refresh_from_db()
    assert export.video_count == 2 and storage.exists(export.file)  # ana's, none trashed
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(f"/exports/{export.pk}/download")
    assert response.status_code == 410 and "This export has expired" in response.content.decode()
    tasks.sweep()  # what every worker runs every few seconds
    assert not storage.exists(export.file)
    assert Export.objects.get().file == ""


def test_the_command_writes_the_same_zip(family, tmp_path, capsys):
    path = tmp_path / "ana.zip"
    call_command("export_videos", str(path), "--owner", "ana")
    assert "Wrote 2 videos" in capsys.readouterr().out
    found = contents(path)
    assert list(found) == [family["waves"].pk, family["mirrored"].pk]
    assert found[family["waves"].pk]["sha256"] == family["waves"].file_sha256
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("export_videos", str(path), "--owner", "nobody")


def test_the_import_page_takes_an_export(family, client, ana, ben, tmp_path):
    """Through the page a creator's import is theirs: other owners' names are kept beside."""
    path = export_to(tmp_path / "export.zip")
    wipe()
    client.force_login(ana)
    token = str(uuid.uuid4())
    for _ in range(2):  # sent again, the form finds the jobs it made
        with path.open("rb") as handle:
            response = client.post(
                "/videos/import", {"video": handle, "form_token": token}, follow=True
            )
        assert "Importing 3 videos from the export" in response.content.decode()
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


def test_parents_come_first_whatever_their_times(ana, clips, tmp_path):
    child = finished_video(ana, clips[0])
    parent = finished_video(ana, clips[1], created_at=child.created_at + timedelta(hours=1))
    Video.objects.filter(pk=child.pk).update(remixed_from=parent, remixed_from_video_id=parent.pk)
    ordered = exports.parents_first(Video.objects.all())
    assert [v.pk for v in ordered] == [parent.pk, child.pk]


def test_operators_see_exports_in_the_admin(family, client, ana, django_user_model):
    client.force_login(ana)
    client.post("/exports", {"scope": "mine"})
    olga = django_user_model.objects.create_superuser("olga", password="olga-password-1")
    client.force_login(olga)
    page = client.get("/admin/remixer/export/")
    assert page.status_code == 200 and "Everything I own" in page.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_an_export_shows_its_progress_then_downloads(
    server, browser, family, tmp_path
):
    """`manage.py serve` with its workers: tick a video, follow the export, download the ZIP."""
    sepia = family["sepia"]
    page = log_in(browser, server, "ana", "ana-password-1")
    page.click("text=Export")
    page.check(f"input[value='{sepia.pk}']")
    shoot(page, "exports")
    page.click("button:has-text('Export selected')")
    page.wait_for_url(re.compile(r".*/exports/[0-9a-f-]{36}$"))
    link = page.locator("a:has-text('Download the ZIP')")
    link.wait_for(timeout=60_000)  # the page polls until the worker has stored the ZIP
    assert "Ready: 1 video" in page.inner_text("#export-progress")
    shoot(page, "export-ready")
    with page.expect_download() as started:
        link.click()
    saved = tmp_path / "downloaded.zip"
    started.value.save_as(saved)
    assert list(contents(saved)) == [sepia.pk]
    assert contents(saved)[sepia.pk]["sha256"] == sepia.file_sha256


def test_an_export_whose_worker_stopped_fails_in_words(client, ana):
    stalled = Export.objects.create(owner=ana, scope="mine", status="in_progress", progress=40)
    Export.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    running = Export.objects.create(owner=ana, scope="mine", status="in_progress", progress=10)
    tasks.sweep()
    stalled.refresh_from_db()
    assert stalled.status == "failed" and "Its worker stopped" in stalled.error_message
    assert Export.objects.get(pk=running.pk).status == "in_progress"
    client.force_login(ana)
    page = client.get(stalled.get_absolute_url()).content.decode()
    assert "Its worker stopped before the ZIP was written: export again." in page
    assert "hx-trigger" not in page
