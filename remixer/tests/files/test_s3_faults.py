"""A bucket that answers 500 or drops the connection, through a fault-injecting proxy in front
of the S3 server: saves retry with botocore's backoff, then fail in words and leave nothing
under a final key; serving through remixer answers a clear 503; the start-up check says why."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from remixer.files import storage
from remixer.models import Video
from remixer.models.accounts import ApiKey
from remixer.settings import REMIXER_S3_ATTEMPTS
from remixer.tests.conftest import video_row
from remixer.tests.support.buckets import Bucket
from remixer.tests.support.pages import new_video
from remixer.tests.support.uploads import png_bytes
from remixer.worker import archiving, pipeline

pytestmark = pytest.mark.django_db


def video_keys(bucket: Bucket, video_id: str) -> list[str]:
    return [key for key in bucket.names() if key.startswith(f"videos/{video_id}/")]


@pytest.mark.parametrize(("mode", "after"), [("500", 0), ("drop", 0), ("500", 1)])
def test_a_save_the_bucket_refuses_fails_in_words_and_leaves_nothing(
    faulty, proxy, ana, source, mode, after, monkeypatch
):
    monkeypatch.setattr(archiving, "STORE_ATTEMPTS", 1)  # its retries: test_store_retries.py
    remix = video_row(ana, prompt="sepia", remixed_from=source)
    proxy.fail({"PUT", "POST"}, mode, after=after)  # after=1: the video lands, the thumbnail not
    pipeline.render(remix.pk)
    remix.refresh_from_db()
    assert (remix.status, remix.error_code) == ("failed", "storage_unavailable")
    assert remix.error_message.startswith("The video could not be stored:")
    assert proxy.failed == REMIXER_S3_ATTEMPTS  # botocore retried with backoff, then gave up
    proxy.heal()
    assert video_keys(faulty, remix.pk) == [] and not faulty.uploads()


@pytest.mark.parametrize("field", ["input_reference", "video"])
def test_an_upload_the_bucket_refuses_answers_503_in_words(
    faulty, proxy, client, ana, clip_path, field
):
    """A reference image (create) or an MP4 (an edit of an uploaded file) stored by the request."""
    image = field == "input_reference"
    upload = io.BytesIO(png_bytes(128, 72) if image else clip_path.read_bytes())
    upload.name = "upload.png" if image else "upload.mp4"
    path = "/v1/videos" if image else "/v1/videos/edits"
    proxy.fail({"PUT", "POST"}, "500")
    key = ApiKey.issue(user=ana, name="tests")[1]
    data = {"prompt": "make it red", "size": "1280x720", field: upload}
    response = client.post(path, data, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 503 and response["Retry-After"], response.content
    assert "file storage" in response.json()["error"]["message"]
    proxy.heal()
    assert not Video.objects.exists() and faulty.names() == []


def test_a_page_whose_upload_the_bucket_refuses_answers_503_in_words(faulty, proxy, client, ana):
    client.force_login(ana)
    upload = io.BytesIO(png_bytes(128, 72))
    upload.name = "first-frame.png"
    proxy.fail({"PUT", "POST"}, "drop")
    response = new_video(client, reference_image=upload)
    assert response.status_code == 503 and response["Retry-After"]
    assert b"cannot be reached" in response.content
    proxy.heal()
    assert not Video.objects.exists() and faulty.names() == []


def test_serving_through_remixer_answers_503_while_the_bucket_fails(
    faulty, proxy, client, ana, source, settings
):
    settings.REMIXER_S3_PROXY = True
    client.force_login(ana)
    url = f"/videos/{source.pk}/content"
    proxy.fail({"HEAD", "GET"}, "500")
    response = client.get(url)
    assert response.status_code == 503 and response["Retry-After"]
    assert b"cannot be reached" in response.content
    proxy.fail({"HEAD", "GET"}, "drop")
    assert client.get(url).status_code == 503
    proxy.heal()
    assert client.get(url).status_code == 200


def test_the_start_up_check_says_the_bucket_fails(faulty, proxy):
    proxy.fail({"PUT"}, "500")
    with pytest.raises(SystemCheckError, match="cannot be reached or written"):
        call_command("check", "--deploy", "--tag", storage.CHECK_TAG)


def test_a_multipart_save_that_fails_midway_leaves_no_upload(faulty, proxy, tmp_path):
    large = tmp_path / "large.mp4"
    with large.open("wb") as handle:
        handle.truncate(20 * 2**20)  # past s3transfer's 8 MB: sent in parts
    proxy.fail({"PUT"}, "500", after=1)  # the first part lands, the next ones do not
    with pytest.raises(storage.StorageError, match=storage.UNAVAILABLE):
        storage.save(large, "videos/video_large/video.mp4")
    proxy.heal()
    assert any(method == "POST" and "uploads" in path for method, path in proxy.seen)
    assert faulty.names() == [] and not faulty.uploads()
