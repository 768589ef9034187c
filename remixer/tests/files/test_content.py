"""Downloading a video's files, with the byte ranges browsers need to seek."""

from pathlib import Path

import pytest

from remixer.lib import media
from remixer.models.accounts import ApiKey

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_whole_video_is_an_mp4(client, ana, source, clip_path):
    client.force_login(ana)
    response = client.get(f"/videos/{source.id}/content")
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4" and response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == clip_path.read_bytes()


def test_a_range_answers_206_with_just_those_bytes(client, ana, source, clip_path):
    client.force_login(ana)
    data = clip_path.read_bytes()
    response = client.get(f"/videos/{source.id}/content", headers={"Range": "bytes=100-299"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-299/{len(data)}"
    assert body(response) == data[100:300]
    suffix = client.get(f"/videos/{source.id}/content", headers={"Range": "bytes=-10"})
    assert body(suffix) == data[-10:]
    open_ended = client.get(
        f"/videos/{source.id}/content", headers={"Range": f"bytes={len(data) - 5}-"}
    )
    assert body(open_ended) == data[-5:]


def test_a_range_past_the_end_is_416(client, ana, source, clip_path):
    client.force_login(ana)
    size = clip_path.stat().st_size
    response = client.get(f"/videos/{source.id}/content", headers={"Range": f"bytes={size}-"})
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{size}"


def test_if_range_with_a_stale_etag_sends_the_whole_file(client, ana, source, clip_path):
    client.force_login(ana)
    response = client.get(
        f"/videos/{source.id}/content", headers={"Range": "bytes=0-9", "If-Range": '"stale"'}
    )
    assert response.status_code == 200
    etag = response["ETag"]
    fresh = client.get(
        f"/videos/{source.id}/content", headers={"Range": "bytes=0-9", "If-Range": etag}
    )
    assert fresh.status_code == 206


def test_unknown_variants_and_missing_files_are_404(client, ana, source):
    client.force_login(ana)
    assert client.get(f"/videos/{source.id}/content?variant=poster").status_code == 404
    assert client.get(f"/videos/{source.id}/content?variant=spritesheet").status_code == 404


def test_head_answers_the_headers_without_the_body(client, ana, source, clip_path):
    client.force_login(ana)
    response = client.head(f"/videos/{source.id}/content")
    assert response.status_code == 200 and response.content == b""
    assert response["Content-Length"] == str(clip_path.stat().st_size)
    ranged = client.head(f"/videos/{source.id}/content", headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and ranged["Content-Length"] == "100"


def test_nginx_can_send_the_bytes_after_remixer_checked_access(client, ana, source, settings):
    settings.REMIXER_ACCEL_REDIRECT = "/protected/"
    assert client.get(f"/videos/{source.id}/content").status_code == 302  # not logged in
    client.force_login(ana)
    response = client.get(f"/videos/{source.id}/content")
    assert response["X-Accel-Redirect"] == f"/protected/videos/{source.id}/video.mp4"
    assert response["Content-Type"] == "video/mp4" and response.content == b""


@pytest.mark.parametrize("header", ["bytes=100-50", "bytes=0-1,5-6", "items=0-9", "bytes=²-9"])
def test_a_range_that_is_not_valid_is_ignored_with_the_whole_file(client, ana, source, header):
    client.force_login(ana)
    response = client.get(f"/videos/{source.id}/content", headers={"Range": header})
    assert response.status_code == 200 and "Content-Range" not in response
    assert body(response) == Path(source.video_file.path).read_bytes()


def test_an_empty_suffix_is_unsatisfiable(client, ana, source):
    client.force_login(ana)
    response = client.get(f"/videos/{source.id}/content", headers={"Range": "bytes=-0"})
    assert response.status_code == 416


@pytest.fixture
def complete(source):  # type: ignore[no-untyped-def]
    """The source with its thumbnail and spritesheet made, as a finished job leaves it."""
    video = Path(source.video_file.path)
    media.make_thumbnail(video, video.with_name("thumbnail.webp"))
    media.make_spritesheet(video, video.with_name("spritesheet.jpg"))
    source.thumbnail_file.name = f"videos/{source.pk}/thumbnail.webp"
    source.spritesheet_file.name = f"videos/{source.pk}/spritesheet.jpg"
    source.save(update_fields=["thumbnail_file", "spritesheet_file"])
    return source


@pytest.mark.parametrize("variant", ["video", "thumbnail", "spritesheet"])
def test_a_copy_the_browser_holds_is_not_sent_again(client, ana, complete, variant):
    client.force_login(ana)
    key = ApiKey.issue(user=ana, name="tests")[1]
    for url, headers in [
        (f"/videos/{complete.pk}/content?variant={variant}", {}),
        (f"/v1/videos/{complete.pk}/content?variant={variant}", {"Authorization": f"Bearer {key}"}),
    ]:
        first = client.get(url, headers=headers)
        assert first.status_code == 200
        etag, modified = first["ETag"], first["Last-Modified"]
        for asked in [{"If-None-Match": etag}, {"If-Modified-Since": modified}]:
            again = client.get(url, headers=headers | asked)
            assert again.status_code == 304, (url, asked)
            assert again.content == b"" and again["ETag"] == etag
        changed = client.get(url, headers=headers | {"If-None-Match": '"other"'})
        assert changed.status_code == 200
        older = client.get(
            url, headers=headers | {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
        )
        assert older.status_code == 200
