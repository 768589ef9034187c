"""The tab and the header in a real Chromium: the tab's title follows a renamed video and my
jobs without going backwards, the notification names the video, and a phone's header is one
row whose Menu reaches every link."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from remixer.models import Video
from remixer.tests.conftest import PHONE, finished_video, log_in, shoot, wait_for
from remixer.tests.support.library import with_thumbnail
from remixer.tests.support.pages import WATCH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.browser_only,
    pytest.mark.django_db(transaction=True),
]
WIDE = {"width": 1440, "height": 900}
LEASED = {"lease_owner": "elsewhere"}  # a worker elsewhere holds the job: nobody here takes it


def running(video: Video, progress: int) -> None:
    lease = {**LEASED, "lease_expires_at": timezone.now() + timedelta(hours=1)}
    Video.objects.filter(pk=video.pk).update(status="in_progress", progress=progress, **lease)


def title_becomes(page, title: str) -> None:  # type: ignore[no-untyped-def]
    wait_for(lambda: page.title() == title, timeout=15)


def test_the_tab_follows_a_renamed_video_and_two_jobs(server, browser, ana, clip_path):
    page = log_in(browser, server, "ana", "ana-password-1")
    page.context.grant_permissions(["notifications"])
    page.context.add_init_script(WATCH)
    a_renamed_video_names_its_tab_and_its_notification(page, server, ana, clip_path)
    two_jobs_in_the_tab_count_down_and_never_go_backwards(page, server, ana, clip_path)


def a_renamed_video_names_its_tab_and_its_notification(page, server, ana, clip_path) -> None:  # type: ignore[no-untyped-def]
    mine = with_thumbnail(finished_video(ana, clip_path, prompt="calm blue waves at dusk"))
    running(mine, 30)
    page.goto(f"{server}/videos/{mine.id}")
    title_becomes(page, "30% · calm blue waves at dusk · remixer")

    page.click("text=Give it a title")
    page.fill("#id_title", "Dusk, take two")
    page.click("button:has-text('Save title')")
    title_becomes(page, "30% · Dusk, take two · remixer")
    Video.objects.filter(pk=mine.pk).update(status="completed", progress=100)
    title_becomes(page, "✓ Done · Dusk, take two · remixer")
    shown = page.evaluate("() => window.shown")
    assert shown == [{"title": "Your video is ready", "body": "Dusk, take two"}]

    page.reload()  # nothing running: the tab says the video's name alone
    assert page.title() == "Dusk, take two · remixer"
    page.click("text=Edit the title")
    page.fill("#id_title", "Dusk, take three")
    page.click("button:has-text('Save title')")
    title_becomes(page, "Dusk, take three · remixer")


def two_jobs_in_the_tab_count_down_and_never_go_backwards(page, server, ana, clip_path) -> None:  # type: ignore[no-untyped-def]
    long_prompt = "a slow pan across " + "very " * 30 + "tall grass"
    grass = with_thumbnail(finished_video(ana, clip_path, prompt=long_prompt))
    storm = with_thumbnail(finished_video(ana, clip_path, prompt="storm", title="Storm at sea"))
    for video in (grass, storm):
        running(video, 50)
    page.goto(server + "/")
    title_becomes(page, "50% · 2 jobs left · Library · remixer")

    with transaction.atomic():  # the first is done as the second has only begun
        Video.objects.filter(pk=grass.pk).update(status="completed", progress=100)
        running(storm, 8)
    title_becomes(page, "54% · 1 of 2 jobs left · Library · remixer")
    assert page.evaluate("() => document.querySelector('link[rel=icon]').href").startswith(
        "data:image/png"
    )
    running(storm, 4)  # a job that starts over at its provider
    wait_for(lambda: "4%" in page.inner_text(f"#badge-{storm.id}"), timeout=15)
    running(storm, 60)
    title_becomes(page, "80% · 1 of 2 jobs left · Library · remixer")
    Video.objects.filter(pk=storm.pk).update(status="completed", progress=100)
    title_becomes(page, "✓ Done · Library · remixer")

    titles = page.evaluate("() => window.titles")
    said = [int(m[1]) for m in map(re.compile(r"(\d+)%").match, titles) if m]
    assert said == sorted(said) and {50, 54, 80} <= set(said), said
    bodies = [shown["body"] for shown in page.evaluate("() => window.shown")]
    assert len(bodies[0]) == 100 and bodies[0].endswith("…"), bodies
    assert long_prompt.startswith(bodies[0][:-1])
    assert bodies[1:] == ["Storm at sea"]


def test_a_phone_s_header_is_one_row_whose_menu_reaches_every_link(
    server, browser, staff, clip_path
):
    made = with_thumbnail(finished_video(staff, clip_path, prompt="calm blue waves"))
    phone = log_in(browser, server, "sam", "sam-password-1", viewport=PHONE)
    links = ["Library", "Remix", "Import", "Export", "Trash", "New video"]
    account = ["API keys", "Admin", "Log out"]
    for url in (server + "/", f"{server}/videos/{made.id}"):
        phone.goto(url)
        assert phone.locator("header.top").bounding_box()["height"] <= 56  # type: ignore[index]
        assert not phone.is_visible("header nav")

    # By keyboard: Menu is the third stop, after the skip link and the name.
    for _ in range(3):
        phone.keyboard.press("Tab")
    assert phone.evaluate("() => document.activeElement.textContent") == "Menu"
    phone.keyboard.press("Enter")
    assert phone.get_attribute("[data-menu]", "aria-expanded") == "true"
    assert phone.is_visible("header .account span:has-text('sam')")
    stops = []
    for _ in links + account:
        phone.keyboard.press("Tab")
        stops.append(phone.evaluate("() => document.activeElement.textContent.trim()"))
    assert stops == links + account
    shoot(phone, "header-phone-menu")
    phone.keyboard.press("Escape")
    assert phone.get_attribute("[data-menu]", "aria-expanded") == "false"
    assert not phone.is_visible("header nav")

    # By touch.
    touch = browser.new_context(viewport=PHONE, has_touch=True).new_page()
    touch.context.add_cookies(phone.context.cookies())
    touch.goto(f"{server}/videos/{made.id}")
    touch.tap("text=Menu")
    touch.tap('header >> text="Trash"')
    touch.wait_for_url(f"{server}/trash")
    assert touch.locator("header.top").bounding_box()["height"] <= 56  # type: ignore[index]

    wide = browser.new_context(viewport=WIDE).new_page()  # wide, all in the header's one row
    wide.context.add_cookies(phone.context.cookies())
    wide.goto(server + "/")
    assert not wide.is_visible("[data-menu]")
    assert wide.locator("header.top").bounding_box()["height"] < 70  # type: ignore[index]
    for name in links + account:
        assert wide.is_visible(f'header >> text="{name}"'), name
