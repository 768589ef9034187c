"""A walk in a real Chromium with the files in a bucket: the pages' files come from the
bucket by presigned redirects, and the content security policy lets them in."""

import pytest

from remixer.tests.conftest import log_in, shoot, wait_for, wait_until_playable
from remixer.tests.support.library import rendered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_library_plays_seeks_and_downloads_from_the_bucket(bucket, server, browser, ana):
    made = [rendered(f"Bucket video {n}, slow circles", "1280x720", "4") for n in (1, 2)]
    for video in made:  # each under its own folder, named by the attempt that made it
        video.refresh_from_db()
        thumbnail = video.thumbnail_file.name
        assert thumbnail.startswith(f"videos/{video.pk}/") and thumbnail.endswith(".webp")
        assert thumbnail in bucket.names()
    page = log_in(browser, server, "ana", "ana-password-1")
    for video in made:  # thumbnails decoded, not broken images
        image = page.locator(f"#card-{video.pk} img")
        wait_for(lambda image=image: image.evaluate("i => i.complete && i.naturalWidth > 0"))
        assert image.evaluate("i => i.naturalWidth") == 480  # the thumbnail, 480 wide
    shoot(page, "library-from-a-bucket")

    answers: list[tuple[str, int]] = []
    page.on("response", lambda response: answers.append((response.url, response.status)))
    page.goto(f"{server}/videos/{made[0].pk}")
    wait_until_playable(page)
    player = page.locator("#status video")
    player.evaluate("v => { v.currentTime = 3 }")
    wait_for(lambda: player.evaluate("v => !v.seeking && v.readyState >= 2"), timeout=30)
    assert abs(player.evaluate("v => v.currentTime") - 3) < 0.1
    video_key = f"{bucket.endpoint}/{bucket.name}/media/{made[0].video_file.name}"
    assert (f"{server}/videos/{made[0].pk}/content", 302) in answers
    assert [status for url, status in answers if url.startswith(video_key)] != []  # the bucket's

    with page.expect_download() as download:
        page.click("a[download]")
    assert download.value.suggested_filename == "bucket-video-1-slow-circles.mp4"
    saved = download.value.path()
    assert saved.read_bytes() == bucket.body(made[0].video_file.name)
