"""The file tests of test_content again, with the files in a bucket streamed through remixer
(REMIXER_S3_PROXY=1, for buckets that clients cannot reach)."""

import pytest

from remixer.tests.files.test_content import (  # noqa: F401 (collected here again)
    test_a_range_answers_206_with_just_those_bytes,
    test_a_range_past_the_end_is_416,
    test_head_answers_the_headers_without_the_body,
    test_if_range_with_a_stale_etag_sends_the_whole_file,
    test_the_whole_video_is_an_mp4,
    test_unknown_variants_and_missing_files_are_404,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def proxied(bucket, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REMIXER_S3_PROXY = True


def test_the_file_comes_from_the_bucket_named_for_download(client, ana, source, bucket):
    client.force_login(ana)
    response = client.get(f"/videos/{source.pk}/content")
    assert response.status_code == 200 and "Location" not in response
    assert response["Content-Disposition"] == 'inline; filename="calm-blue-waves.mp4"'
    assert b"".join(response.streaming_content) == bucket.body(source.video_file.name)
