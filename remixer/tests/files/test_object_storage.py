"""Files in an S3 bucket (moto's server on loopback): where they land, how they are served,
the start-up check, and moving an install between local disk and a bucket."""

import urllib.error
import urllib.request

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from remixer.files import storage
from remixer.models import Video
from remixer.models.exports import Export
from remixer.tests.conftest import (
    finished_video,
    free_port,
    start_process,
    video_row,
    wait_for,
    worker_args,
)
from remixer.tests.support.buckets import Bucket, stored_bytes, use_bucket
from remixer.worker import exports, pipeline, scratch, stills

pytestmark = pytest.mark.django_db


def fetch(url: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """Status, headers (any case) and body, as a browser following the redirect gets them."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_a_render_lands_in_the_bucket_under_the_videos_id_and_nowhere_else(
    bucket, ana, source, media_root, settings
):
    remix = video_row(ana, prompt="sepia", remixed_from=source)
    pipeline.render(remix.pk)
    remix.refresh_from_db()
    assert remix.status == "completed", remix.error
    names = [remix.video_file.name, remix.thumbnail_file.name, remix.spritesheet_file.name]
    folder = names[0].removesuffix("/video.mp4")  # its attempt's, in the video's folder
    assert folder.startswith(f"videos/{remix.pk}/") and folder.count("/") == 2
    assert names == [f"{folder}/video.mp4", f"{folder}/thumbnail.webp", f"{folder}/spritesheet.jpg"]
    assert set(bucket.names()) >= set(names) and not bucket.uploads()
    assert not media_root.exists()  # nothing on local disk
    assert not list(settings.REMIXER_SCRATCH_DIR.glob("*/*"))  # the source's copy is gone too


def test_a_file_is_served_by_a_presigned_redirect_reused_and_named(client, ana, bucket, source):
    url = f"/videos/{source.pk}/content"
    assert client.get(url).status_code == 302 and "/login" in client.get(url)["Location"]
    client.force_login(ana)
    first, again = client.get(url), client.get(url)
    location = first["Location"]
    assert location.startswith(f"{bucket.endpoint}/{bucket.name}/media/videos/{source.pk}/")
    assert again["Location"] == location  # the browser's cached copy stays good
    status, headers, body = fetch(location, {"Range": "bytes=100-299"})
    data = stored_bytes(source.video_file)
    assert (status, body) == (206, data[100:300])
    assert headers["Content-Range"] == f"bytes 100-299/{len(data)}"
    assert headers["Content-Disposition"] == 'attachment; filename="calm-blue-waves.mp4"'


def test_browsers_may_reach_the_bucket_by_another_address(client, ana, bucket, source, settings):
    public = bucket.endpoint.replace("127.0.0.1", "localhost")
    settings.REMIXER_S3_PUBLIC_URL = public
    client.force_login(ana)
    location = client.get(f"/videos/{source.pk}/content?variant=video")["Location"]
    assert location.startswith(f"{public}/{bucket.name}/")  # signed for that address
    assert fetch(location)[2] == stored_bytes(source.video_file)
    fresh = Client()
    fresh.force_login(ana)
    assert f"media-src 'self' {public};" in fresh.get("/")["Content-Security-Policy"]


def test_a_presigned_url_expires(client, ana, bucket, source, settings):
    """moto accepts expired signatures, so the expiry is read from the URL remixer signed."""
    from urllib.parse import parse_qs, urlsplit

    client.force_login(ana)
    query = parse_qs(urlsplit(client.get(f"/videos/{source.pk}/content")["Location"]).query)
    lasts = int(query["X-Amz-Expires"][0])
    window = settings.REMIXER_S3_URL_REUSE
    assert settings.REMIXER_S3_URL_SECONDS + window == lasts  # an hour left after any reuse


def test_the_pages_admit_the_buckets_origin_for_images_and_media(client, ana, bucket, settings):
    client.force_login(ana)
    policy = client.get("/")["Content-Security-Policy"]
    assert f"img-src 'self' data: {bucket.endpoint};" in policy
    assert f"media-src 'self' {bucket.endpoint};" in policy
    settings.REMIXER_S3_PROXY = True  # the files come from remixer itself
    proxied = Client()  # a new process, as it were: the policy is made once per process
    proxied.force_login(ana)
    assert bucket.endpoint not in proxied.get("/")["Content-Security-Policy"]


def test_the_start_up_check_passes_on_a_bucket_it_can_write(bucket):
    call_command("check", "--deploy", "--tag", storage.CHECK_TAG)
    assert bucket.names() == []  # the check's probe is removed again


def test_the_start_up_check_says_nginx_cannot_send_files_from_a_bucket(
    client, ana, bucket, source, settings
):
    settings.REMIXER_ACCEL_REDIRECT = "/protected/"
    assert [found.id for found in storage.check_storage()] == ["remixer.W010"]
    client.force_login(ana)
    response = client.get(f"/videos/{source.pk}/content")
    assert response.status_code == 302 and "X-Accel-Redirect" not in response


def test_the_start_up_check_says_when_the_bucket_is_missing(bucket, settings, monkeypatch):
    use_bucket(settings, monkeypatch, bucket)
    settings.STORAGES["default"]["OPTIONS"]["bucket_name"] = "no-such-bucket"
    settings.REMIXER_S3_BUCKET = "no-such-bucket"
    settings.STORAGES = {**settings.STORAGES}  # let Django build the storage again
    with pytest.raises(SystemCheckError, match="'no-such-bucket' at .* cannot be reached"):
        call_command("check", "--deploy", "--tag", storage.CHECK_TAG)


def test_a_worker_will_not_start_on_a_bucket_it_cannot_reach(transactional_db, bucket, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}"
    log = tmp_path / "worker.log"
    process = start_process(
        worker_args("default"), tmp_path / "media", log, REMIXER_S3_ENDPOINT_URL=closed
    )
    assert process.wait(timeout=90) != 0
    assert f"at {closed} cannot be reached or written" in log.read_text()


def test_files_move_to_the_bucket_and_back_checked_and_resumable(
    ana, clip_path, s3_server, settings, monkeypatch, capsys, media_root
):
    video = finished_video(ana, clip_path)  # on local disk
    pipeline.rearchive(video)
    video.refresh_from_db()
    export = Export.objects.create(owner=ana, scope="mine")
    exports.build(str(export.pk))  # a ZIP its owner may still download
    export.refresh_from_db()
    names = [video.video_file.name, video.thumbnail_file.name, video.spritesheet_file.name]
    waiting = video_row(ana)  # an import whose upload no worker has checked yet
    storage.save(clip_path, scratch.upload_name(waiting.pk))
    names += [stills.still_name(video.pk), export.file, scratch.upload_name(waiting.pk)]
    local = {name: (media_root / name).read_bytes() for name in names}
    bucket = Bucket(s3_server)
    use_bucket(settings, monkeypatch, bucket)
    call_command("migrate_files", "--to", "s3")
    assert "Copied 6 files, 0 already there" in capsys.readouterr().out
    assert {name: bucket.body(name) for name in names} == local
    call_command("verify_files")  # the rows now read from the bucket
    bucket.client.delete_object(Bucket=bucket.name, Key=f"media/{names[1]}")  # an interrupted run
    call_command("migrate_files", "--to", "s3")
    assert "Copied 1 file, 5 already there" in capsys.readouterr().out
    for name in names:
        (media_root / name).unlink()
    call_command("migrate_files", "--to", "local")
    assert {name: (media_root / name).read_bytes() for name in names} == local


def test_migrating_reports_files_missing_at_the_source(ana, bucket, capsys, clip_path):
    video = finished_video(ana, clip_path)
    storage.delete(video.video_file.name)
    with pytest.raises(CommandError, match="Not found: 1 file;"):
        call_command("migrate_files", "--to", "local")
    assert f"{video.video_file.name}: missing from the source" in capsys.readouterr().out


def test_a_save_that_fails_midway_leaves_nothing_under_the_name(media_root, tmp_path):
    class Breaks:
        def chunks(self):  # type: ignore[no-untyped-def]
            yield b"half a video"
            raise OSError("disk full")

    store = storage.LocalStorage(location=media_root)
    with pytest.raises(OSError, match="disk full"):
        store._save("videos/v/video.mp4", Breaks())  # type: ignore[arg-type]
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_an_emptied_trash_leaves_no_object(
    client, ana, bucket, source, django_capture_on_commit_callbacks
):
    client.force_login(ana)
    assert bucket.names()
    client.post(f"/videos/{source.pk}/delete")
    assert bucket.names()  # in the Trash: its files wait there
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/trash/empty")
    assert Video.objects.get(pk=source.pk).files_removed_at is not None
    assert bucket.names() == []


def test_the_sweep_aborts_uploads_a_killed_process_left(bucket, settings):
    from remixer import tasks

    begun = ("videos/video_x/video.mp4", "exports/x.zip", "imports/x.mp4", "references/x.png")
    for name in begun:  # a reference image re-encoded as PNG may pass 8 MB: sent in parts
        bucket.client.create_multipart_upload(Bucket=bucket.name, Key=f"media/{name}")
    bucket.client.create_multipart_upload(Bucket=bucket.name, Key="not-ours/x.bin")
    # moto dates every upload in 2010, so "old enough" cannot be told apart from "new" here.
    settings.REMIXER_S3_UPLOAD_GRACE = 1

    def ours() -> list[dict]:
        return [upload for upload in bucket.uploads() if upload["Key"].startswith("media/")]

    wait_for(lambda: tasks.sweep() is not None and not ours(), timeout=10)
    assert [upload["Key"] for upload in bucket.uploads()] == ["not-ours/x.bin"]
    assert bucket.names() == []
