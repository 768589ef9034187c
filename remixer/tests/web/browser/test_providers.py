"""In a real Chromium: an administrator adds a Videos API server, creators use it, and
what it made keeps playing from remixer's storage after the server is gone."""

import json
import re

import pytest

from remixer.models import Video
from remixer.tests.conftest import log_in, shoot, wait_until_playable
from remixer.tests.support.uploads import SIDECAR
from remixer.tests.support.videos_api_server import VideosAPIServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_provider_added_in_the_admin_makes_and_remixes_videos_that_outlive_it(
    server, browser, ana, django_user_model
):
    django_user_model.objects.create_superuser("olga", password="olga-password-1")
    api = VideosAPIServer("openai", job_seconds=1.0).start()
    admin = log_in(browser, server, "olga", "olga-password-1")
    admin.goto(f"{server}/admin/remixer/provider/add/")
    admin.fill("#id_name", "Studio GPU")
    admin.select_option("#id_kind", "http")
    admin.fill("#id_base_url", api.url)
    admin.fill("#id_api_key", "test-key")
    admin.fill("#id_catalog-0-name", "sora-2")
    admin.click("input[name=_save]")
    admin.wait_for_selector("text=was added successfully")

    page = log_in(browser, server, "ana", "ana-password-1")
    page.goto(f"{server}/videos/new")
    page.select_option("#id_model", "sora-2")
    page.fill("#id_prompt", "a lighthouse in a storm")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/videos/video_[0-9a-f]+$"))
    made = page.url.rsplit("/", 1)[1]
    wait_until_playable(page)

    page.goto(f"{server}/videos/{made}")
    assert "This remix goes to Studio GPU" in page.content()
    page.fill("textarea[name=prompt]", "the same lighthouse at dawn")
    page.click("form[action$='/remix'] button[type=submit]")  # htmx, then the new page
    page.wait_for_url(re.compile(rf"/videos/(?!{made})video_[0-9a-f]+$"))
    remix = page.url.rsplit("/", 1)[1]
    wait_until_playable(page)
    assert api.count("POST", "/v1/videos") == 1
    assert (
        api.count("POST", f"/v1/videos/{Video.objects.get(pk=made).provider_video_id}/remix") == 1
    )

    api.stop()
    for video_id in (made, remix):
        page.goto(f"{server}/videos/{video_id}")
        wait_until_playable(page)
        assert abs(page.locator("#status video").evaluate("v => v.duration") - 4) < 0.2
    shoot(page, "provider-remix-desktop")


def test_an_imported_mp4_with_its_sidecar_is_remixed(server, browser, ana, clip_path, tmp_path):
    sidecar = tmp_path / "kept.json"
    sidecar.write_text(json.dumps(SIDECAR))
    page = log_in(browser, server, "ana", "ana-password-1")
    page.goto(f"{server}/videos/import")
    page.set_input_files("#id_video", str(clip_path))
    page.set_input_files("#id_sidecar", str(sidecar))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=A calico cat playing a piano on stage")
    wait_until_playable(page)
    page.fill("textarea[name=prompt]", "sepia, 'Encore'")
    page.wait_for_selector("#recipe .chip:has-text('Sepia')")
    imported = page.url.rsplit("/", 1)[1]
    page.click("form[action$='/remix'] button[type=submit]")
    page.wait_for_url(re.compile(rf"/videos/(?!{imported})video_[0-9a-f]+$"))
    wait_until_playable(page)
    remix = Video.objects.get(pk=page.url.rsplit("/", 1)[1])
    assert remix.remixed_from.note == f"Imported from {SIDECAR['id']}."
    shoot(page, "imported-remix-desktop")
