"""Variations in a real Chromium: three jobs of one prompt, grouped and each followed to its
end; a count past the active-job limit starts none."""

from datetime import timedelta

import pytest
from django.utils import timezone

from remixer.models import Video
from remixer.tests.conftest import job, log_in, shoot, start_site, stop_process, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def limited_server(transactional_db, media_root, tmp_path):  # type: ignore[no-untyped-def]
    """The site with room for five active jobs a person."""
    process, url = start_site(media_root, tmp_path, REMIXER_MAX_ACTIVE_JOBS="5")
    yield url
    stop_process(process)


def test_three_variations_run_side_by_side_and_too_many_start_none(limited_server, browser, ana):
    server = limited_server
    lease = {"lease_owner": "elsewhere", "lease_expires_at": timezone.now() + timedelta(hours=1)}
    busy = [job(ana, status="in_progress", progress=10, **lease) for _ in range(2)]
    browser.expected_complaints.append("status of 400 (Bad Request) (" + server + "/videos/new)")
    page = log_in(browser, server, "ana", "ana-password-1")
    page.goto(f"{server}/videos/new")
    page.fill("textarea[name=prompt]", "calm blue waves at dusk")
    page.select_option("select[name=seconds]", "4")
    page.select_option("select[name=count]", "4")  # 2 running + 4 > 5
    page.click('button:has-text("Create video")')
    refusal = page.locator(".field-error[role=alert]")
    refusal.wait_for()
    assert "4 more would be too many, so none was started" in refusal.inner_text()
    assert Video.objects.exclude(pk__in=[v.pk for v in busy]).count() == 0
    assert page.input_value("textarea[name=prompt]") == "calm blue waves at dusk"  # kept

    page.select_option("select[name=count]", "3")
    page.click('button:has-text("Create video")')
    page.wait_for_url(lambda url: "/videos/video_" in url)
    made = list(Video.objects.exclude(pk__in=[v.pk for v in busy]).order_by("created_at", "id"))
    assert len(made) == 3 and len({v.batch for v in made}) == 1 and made[0].batch is not None
    assert page.url == f"{server}/videos/{made[0].id}"
    cards = page.locator("#variations .card")
    assert cards.evaluate_all("cards => cards.map(c => c.id)") == [f"card-{v.id}" for v in made[1:]]
    # Each is its own job: the page's player and both cards get to the end on their own.
    page.wait_for_selector("#status video", timeout=120_000)
    for video in made[1:]:
        badge = page.locator(f"#card-{video.id} .badge")
        wait_for(lambda badge=badge: badge.inner_text() == "Completed", timeout=120)
    finished = Video.objects.filter(batch=made[0].batch)
    assert {v.status for v in finished} == {"completed"}
    assert len({v.file_sha256 for v in finished}) == 3  # three takes, not one thrice
    shoot(page, "variations-desktop")
