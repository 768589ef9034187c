"""Bringing kept videos in, checking stored files, and archiving them again."""

import html
import io
import json
import re
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

import pytest
import requests
from django.core.management import CommandError, call_command

from remixer import tasks
from remixer.files import storage
from remixer.models import Provider, Video
from remixer.tests.conftest import start_site, stop_process, wait_for
from remixer.tests.support.buckets import stored_bytes
from remixer.tests.support.export_zips import read_exports
from remixer.tests.support.pages import logged_in
from remixer.tests.support.uploads import SIDECAR
from remixer.worker import pipeline

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def import_page(client, mp4: bytes, sidecar: bytes | None = None):  # type: ignore[no-untyped-def]
    """Upload on the Import page, then let a worker's step check what the request kept."""
    data = {"video": upload(mp4, "kept.mp4"), "form_token": str(uuid.uuid4())}
    if sidecar is not None:
        data["sidecar"] = upload(sidecar, "kept.json")
    response = client.post("/videos/import", data)
    for video in Video.objects.filter(status="queued", kind="import"):
        tasks.import_video.call(video.pk)
    return response


def test_an_imported_video_keeps_its_sidecar_and_can_be_remixed(
    stores, client, ana, ben, clip_path
):
    client.force_login(ana)
    response = import_page(client, clip_path.read_bytes(), json.dumps(SIDECAR).encode())
    video = Video.objects.get()
    assert response["Location"] == video.get_absolute_url()
    assert (video.status, video.prompt, video.model, video.size, video.seconds) == (
        "completed",
        SIDECAR["prompt"],
        "sora-2",
        "1280x720",
        "4",
    )
    assert video.as_api_object()["created_at"] == SIDECAR["created_at"]
    assert video.note == f"Imported from {SIDECAR['id']}."
    assert video.provider_object["quality"] == "standard"
    assert stored_bytes(video.thumbnail_file)[8:12] == b"WEBP"
    client.force_login(ben)
    client.post(f"/videos/{video.pk}/remix", {"prompt": "sepia", "form_token": str(uuid.uuid4())})
    remix = Video.objects.get(remixed_from=video)
    assert remix.provider.kind == Provider.Kind.LOCAL
    pipeline.render(remix.pk)
    remix.refresh_from_db()
    assert remix.status == "completed", remix.error


def test_without_a_sidecar_the_file_speaks_for_itself(client, ana, clip_path):
    client.force_login(ana)
    import_page(client, clip_path.read_bytes())
    video = Video.objects.get()
    assert (video.size, video.seconds, video.prompt, video.model) == (
        "1280x720",
        "4",
        None,
        "imported",
    )


@pytest.mark.parametrize(
    ("sidecar", "message"),
    [
        (b"{not json", "The sidecar is not valid JSON."),
        (b"[1, 2]", "The sidecar must be one Video object"),
    ],
)
def test_a_bad_sidecar_changes_nothing(client, ana, clip_path, media_root, sidecar, message):
    client.force_login(ana)
    response = import_page(client, clip_path.read_bytes(), sidecar)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Video.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def sidecar_with(**raw: str) -> bytes:
    """The sidecar with some fields written as raw JSON (1e400, NaN, "\\ud800" …)."""
    text = json.dumps(SIDECAR)
    for name, value in raw.items():
        text = text.replace(f'"{name}": {json.dumps(SIDECAR[name])}', f'"{name}": {value}')
    return text.encode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"created_at": '"inf"'}, "The sidecar's created_at: Give it as Unix seconds"),
        ({"created_at": "1e400"}, "a number that is not finite"),
        ({"created_at": "NaN"}, "a number that is not finite"),
        ({"created_at": "-1759938772"}, "The sidecar's created_at"),
        ({"created_at": "99999999999999"}, "The sidecar's created_at"),
        ({"created_at": "true"}, "The sidecar's created_at"),
        ({"prompt": json.dumps("a\x00b" * 33334)}, "The sidecar holds text that is not valid"),
        ({"prompt": json.dumps("y" * 32001)}, "The sidecar's prompt"),
        ({"prompt": '"\\ud800 lone"'}, "an unpaired surrogate"),
        ({"prompt": "42"}, "The sidecar's prompt: Give it as text."),
        ({"quality": '"\\udfff"'}, "an unpaired surrogate"),
        ({"seconds": json.dumps("9" * 500)}, "The sidecar's seconds: Give it as whole seconds"),
        ({"seconds": "4.5"}, "The sidecar's seconds"),
        ({"model": json.dumps({"name": "sora-2"})}, "The sidecar's model: Give it as text."),
        ({"model": json.dumps("m" * 201)}, "The sidecar's model"),
        ({"size": '"1280x720\\u0000"'}, "The sidecar holds text that is not valid"),
    ],
)
def test_a_sidecar_gets_the_new_video_forms_rules(client, ana, clip_path, media_root, raw, message):
    client.force_login(ana)
    response = import_page(client, clip_path.read_bytes(), sidecar_with(**raw))
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not Video.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_a_sidecars_seconds_may_be_a_number_and_its_times_whole_floats(client, ana, clip_path):
    client.force_login(ana)
    sidecar = sidecar_with(seconds="4", created_at="1759938772.0")
    assert import_page(client, clip_path.read_bytes(), sidecar).status_code == 302
    video = Video.objects.get()
    assert video.seconds == "4" and video.as_api_object()["created_at"] == 1759938772


def test_the_command_holds_sidecars_to_the_same_rules(ana, clip_path, tmp_path):
    (tmp_path / "kept.mp4").write_bytes(clip_path.read_bytes())
    (tmp_path / "kept.json").write_bytes(sidecar_with(created_at="1e400"))
    with pytest.raises(CommandError):
        call_command("import_videos", str(tmp_path), owner="ana")
    assert not Video.objects.exists()


@pytest.mark.parametrize(
    ("cut", "sidecar", "message"),
    [
        (0.6, None, "This video is incomplete"),
        (None, json.dumps({**SIDECAR, "size": "720x1280"}).encode(), "The sidecar says 720x1280"),
    ],
)
def test_a_bad_video_fails_its_import_in_words_and_keeps_nothing(
    client, ana, clip_path, media_root, cut, sidecar, message
):
    client.force_login(ana)
    data = clip_path.read_bytes()
    import_page(client, data[: int(len(data) * cut)] if cut else data, sidecar)
    video = Video.objects.get()
    assert (video.status, video.error_code) == ("failed", "invalid_video")
    assert message in video.error_message
    assert message in client.get(video.get_absolute_url()).content.decode()
    assert "Retry" not in client.get(video.get_absolute_url()).content.decode()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_a_file_that_is_not_an_mp4_is_refused(client, ana):
    client.force_login(ana)
    response = import_page(client, b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert "The file is not an MP4 video or a remixer export." in response.content.decode()


def test_the_command_imports_a_folder_with_sidecars(ana, clip_path, tmp_path, capsys):
    folder = tmp_path / "kept"
    folder.mkdir()
    (folder / "cat.mp4").write_bytes(clip_path.read_bytes())
    (folder / "cat.json").write_text(json.dumps(SIDECAR))
    (folder / "broken.mp4").write_bytes(clip_path.read_bytes()[:5000])
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_videos", str(folder), "--owner", "ana")
    out, err = capsys.readouterr()
    video = Video.objects.get(status="completed")
    assert f"cat.mp4: imported as {video.pk}" in out and "broken.mp4: not imported" in err
    assert video.prompt == SIDECAR["prompt"]
    assert Path(video.video_file.path).read_bytes() == (folder / "cat.mp4").read_bytes()


def test_verify_files_finds_damage_and_rearchive_mends_what_it_can(
    stores, client, ana, clip_path, capsys, tmp_path
):
    client.force_login(ana)
    import_page(client, clip_path.read_bytes())
    video = Video.objects.get()
    call_command("verify_files")
    assert "Checked 1 video: 0 with missing or damaged files." in capsys.readouterr().out
    storage.delete(video.thumbnail_file.name)
    with pytest.raises(CommandError):
        call_command("verify_files")
    assert f"{video.pk}: the thumbnail is missing" in capsys.readouterr().out
    tasks.rearchive_video.call(video.pk)
    call_command("verify_files")
    video.refresh_from_db()  # stored again under a new attempt's names
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(stored_bytes(video.video_file)[:-10] + b"0123456789")
    storage.save(damaged, video.video_file.name)
    with pytest.raises(CommandError):
        call_command("verify_files")
    assert "the video file is damaged" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_a_large_upload_answers_at_once_and_a_worker_checks_it(
    ana, media_root, tmp_path, long_clip_path
):
    """gunicorn with a timeout far shorter than the check: the request only streams the file
    (to remixer's data directory), the import's page answers, and a worker archives it."""
    timeout = {"REMIXER_WEB_TIMEOUT": "2", "GUNICORN_CMD_ARGS": "--timeout 2"}
    process, server = start_site(media_root, tmp_path, **timeout)
    system_temp = set(Path(tempfile.gettempdir()).iterdir())
    try:
        cookies = logged_in(server, "ana", "ana-password-1")
        with requests.Session() as session:
            session.cookies.update(cookies)
            page = session.get(f"{server}/videos/import", timeout=10).text
            token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
            started = time.monotonic()
            response = session.post(
                f"{server}/videos/import",
                timeout=30,
                data={"form_token": token, "csrfmiddlewaretoken": cookies["csrftoken"]},
                files={"video": ("kept.mp4", long_clip_path.read_bytes(), "video/mp4")},
                headers={"Referer": f"{server}/videos/import"},
            )
            answered = time.monotonic() - started
            video = Video.objects.get()
            assert response.status_code == 200 and response.url.endswith(video.pk), response.text
            assert video.status in ("queued", "in_progress") and video.kind == "import"
            assert "Uploaded: remixer is checking it" in response.text
            wait_for(lambda: Video.objects.get().is_finished, timeout=120)
        video.refresh_from_db()
        assert video.status == "completed", video.error_message
        assert Path(video.video_file.path).read_bytes() == long_clip_path.read_bytes()
        kept = media_root / "imports" / f"{video.pk}.mp4"  # removed once the import ended
        wait_for(lambda: not kept.exists(), timeout=10)
        size = long_clip_path.stat().st_size
        left = set(Path(tempfile.gettempdir()).iterdir()) - system_temp
        assert not [p for p in left if p.is_file() and p.stat().st_size >= size // 2]
        print(f"answered in {answered:.2f} s; completed {video.completed_at - video.created_at}")
    finally:
        stop_process(process)
    assert "WORKER TIMEOUT" not in (tmp_path / "serve.log").read_text()


def test_a_sidecar_may_name_lengths_and_sizes_remixer_does_not_offer(client, ana, clip_path):
    """A kept video may come from a server with other lengths: the sidecar's word is kept."""
    client.force_login(ana)
    sidecar = sidecar_with(seconds='"10"')
    assert import_page(client, clip_path.read_bytes(), sidecar).status_code == 302
    assert Video.objects.get().seconds == "10"
    refused = import_page(client, clip_path.read_bytes(), sidecar_with(size='"1920 by 1080"'))
    assert refused.status_code == 400
    assert "Give it as WIDTHxHEIGHT" in html.unescape(refused.content.decode())


EXPORTED = "video_" + "e" * 32


def one_video_export(clip: bytes, **changes: object) -> io.BytesIO:
    """A remixer export of one video whose sidecar (or its "remixer" part) is changed."""
    extras: dict[str, object] = {"owner": "ana", "created_at": "2025-10-08", "recipe": None}
    sidecar: dict[str, object] = {"id": EXPORTED, "prompt": "calm", "remixer": extras}
    for name, value in changes.items():
        (extras if name in extras else sidecar)[name] = value
    handle = io.BytesIO()
    with zipfile.ZipFile(handle, "w") as archive:
        manifest = {"format": "remixer-export", "version": 1, "videos": [EXPORTED]}
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr(f"videos/{EXPORTED}.json", json.dumps(sidecar))
        archive.writestr(f"videos/{EXPORTED}.mp4", clip)
    handle.name = "export.zip"
    handle.seek(0)
    return handle


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"created_at": "9999-12-31T23:59:59-14:00"}, "remixer.created_at"),
        ({"created_at": "0001-01-01T00:00:00+14:00"}, "remixer.created_at"),
        ({"created_at": "1999-01-01T00:00:00+00:00"}, "remixer.created_at"),
        ({"remixed_from_video_id": {"id": 1}}, "remixed_from_video_id"),
        ({"remixed_from_video_id": "v" * 5000}, "remixed_from_video_id"),
        ({"recipe": {"effects": [{"name": "sepia"}]}}, "remixer.recipe"),
        ({"recipe": {"version": 2, "steps": "sepia"}}, "remixer.recipe"),
    ],
)
def test_an_exports_sidecar_gets_the_forms_rules_too(client, ana, clip_path, changes, message):
    client.force_login(ana)
    export = one_video_export(clip_path.read_bytes(), **changes)
    token = str(uuid.uuid4())
    response = client.post("/videos/import", {"video": export, "form_token": token}, follow=True)
    assert response.status_code == 200
    read_exports()  # a worker reads the ZIP; the Import page names what it could not import
    said = html.unescape(client.get("/videos/import").content.decode())
    assert f"{EXPORTED} was not imported: The sidecar's {message}" in said
    assert not Video.objects.exists()
