"""The studio in a real Chromium: compare (by keyboard too, from cards selected in the library),
change and run again, live library, job in the tab."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from remixer.models import Video
from remixer.providers.local import render_create
from remixer.tests.conftest import PHONE, finished_video, job, log_in, shoot, wait_for
from remixer.tests.support.library import with_thumbnail
from remixer.tests.support.source_clips import write_clip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FRAME = 1 / 24
WIDE = {"width": 1440, "height": 900}


@pytest.fixture
def short_portrait(tmp_path: Path) -> Path:
    """A clip of another length and shape than the shared one: 2 s of 720x1280."""
    path = tmp_path / "portrait.mp4"
    render_create(
        prompt="red bubbles",
        size="720x1280",
        seconds=2,
        output=path,
        reference_image=None,
        on_progress=lambda done, total: None,
    )
    return path


def times(page) -> list[float]:  # type: ignore[no-untyped-def]
    return page.evaluate(  # type: ignore[no-any-return]
        "() => ['a', 'b'].map(s => document.getElementById('video-' + s).currentTime)"
    )


def settled(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate(  # type: ignore[no-any-return]
        "() => [...document.querySelectorAll('.compare-video')]"
        ".every(v => v.readyState >= 2 && !v.seeking)"
    )


def test_two_videos_play_in_step_and_wipe_with_the_keyboard(
    server, browser, ana, clip_path, short_portrait
):
    source = with_thumbnail(finished_video(ana, clip_path, prompt="calm blue waves at dusk"))
    remix = with_thumbnail(
        finished_video(
            ana,
            short_portrait,
            prompt="calm red waves at dusk",
            size="720x1280",
            seconds="2",
            remixed_from=source,
            remixed_from_video_id=source.id,
        )
    )
    page = log_in(browser, server, "ana", "ana-password-1")
    page.goto(f"{server}/videos/{remix.id}")
    page.click("text=Compare with source")
    page.wait_for_selector("#compare-play:not([disabled])")
    wait_for(lambda: settled(page), timeout=30, interval=0.1)
    assert page.locator(".compare-video[controls]").count() == 0  # one set of controls

    page.click("#compare-play")
    page.wait_for_timeout(1200)
    a, b = times(page)
    assert 0.5 < a < 2 and abs(a - b) < FRAME, (a, b)
    page.click("#compare-play")  # pause
    wait_for(lambda: settled(page), timeout=10, interval=0.05)
    a, b = times(page)
    assert abs(a - b) < FRAME, (a, b)

    page.locator("#compare-scrub").fill("1.5")
    wait_for(lambda: settled(page), timeout=10, interval=0.05)
    assert times(page) == [1.5, 1.5]
    page.click("#compare-forward")
    wait_for(lambda: settled(page), timeout=10, interval=0.05)
    a, b = times(page)
    assert abs(a - (1.5 + FRAME)) < 0.002 and abs(a - b) < FRAME
    page.locator("#compare-scrub").fill("3")  # past the short one's end: it holds its last frame
    wait_for(lambda: settled(page), timeout=10, interval=0.05)
    a, b = times(page)
    assert a == 3 and b == pytest.approx(2, abs=0.05)

    page.check("#compare-wipe")
    divider = page.locator("#wipe-divider")
    before = divider.bounding_box()
    divider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowLeft")
    assert divider.get_attribute("aria-valuenow") == "43"
    assert divider.bounding_box()["x"] < before["x"]  # type: ignore[index]
    assert "43%" in page.locator("#box-b").evaluate("box => box.style.clipPath")
    shoot(page, "compare-wipe-desktop")

    phone = log_in(browser, server, "ana", "ana-password-1", viewport=PHONE)
    phone.goto(f"{server}/videos/{remix.id}/compare")
    phone.wait_for_selector("#compare-play:not([disabled])")
    top, bottom = (phone.locator(f"#box-{side}").bounding_box() for side in "ab")
    assert bottom["y"] >= top["y"] + top["height"]  # type: ignore[index]  # stacked
    assert bottom["x"] + bottom["width"] <= PHONE["width"]  # type: ignore[index]
    for side in "ab":  # each fits its box, whatever its shape
        video, box = phone.locator(f"#video-{side}").bounding_box(), phone.locator(f"#box-{side}")
        assert video == box.bounding_box(), side
    shoot(phone, "compare-phone")


LEFT_FPS = 30  # the left video's rate, not the engine's 24: the keys step through its frames


def press(page, key: str) -> list[float]:  # type: ignore[no-untyped-def]
    page.keyboard.press(key)
    wait_for(lambda: settled(page), timeout=10, interval=0.05)
    return times(page)


def shapes(page) -> dict[str, tuple[float, float]]:  # type: ignore[no-untyped-def]
    """Each side's box, width over height, beside its video's own."""
    return page.evaluate(  # type: ignore[no-any-return]
        """() => Object.fromEntries(['a', 'b'].map(s => {
          const box = document.getElementById('box-' + s).getBoundingClientRect();
          const video = document.getElementById('video-' + s);
          return [s, [box.width / box.height, video.videoWidth / video.videoHeight]];
        }))"""
    )


@pytest.mark.browser_only
def test_compare_by_keyboard_in_the_videos_shapes_from_a_selection(
    server, browser, ana, clip_path, tmp_path: Path
):
    left = with_thumbnail(
        finished_video(
            ana,
            write_clip(tmp_path / "left.mp4", "libx264", 640, 360, frames=60, rate=LEFT_FPS),
            title="Grey morning",
            size="640x360",
            seconds="2",
        )
    )
    right = with_thumbnail(finished_video(ana, clip_path, prompt="calm blue waves at dusk"))
    page = log_in(browser, server, "ana", "ana-password-1", viewport=WIDE)

    # In the library: one card selected, Compare answers beside the button; the tick stays.
    select = page.get_by_role("checkbox", name="Select Grey morning to compare or export")
    select.check()
    page.get_by_role("button", name="Compare").click()
    message = page.locator("#picks-message")
    message.filter(has_text="1 video is selected").wait_for()
    assert select.is_checked()
    assert message.get_attribute("role") == "alert"
    badge, thumbnail = (page.locator(f"#card-{left.id} {part}") for part in (".badge", "img"))
    b, t = badge.bounding_box(), thumbnail.bounding_box()
    assert b is not None and t is not None
    assert b["y"] >= t["y"] + t["height"]  # below the picture, not over its top
    shoot(page, "library-one-selected-wide")
    page.get_by_role("checkbox", name="Select calm blue waves at dusk to compare or export").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(f"{server}/videos/{left.id}/compare?with={right.id}")

    page.wait_for_selector("#compare-play:not([disabled])")
    wait_for(lambda: settled(page), timeout=30, interval=0.1)
    titles = page.locator(".compare-text h2 a").all_inner_texts()
    assert titles == ["Grey morning", "calm blue waves at dusk"]

    # Side by side, each box has its video's shape, both in the window unscrolled.
    for side, (box, video) in shapes(page).items():
        assert box == pytest.approx(video, rel=0.02), side
    for side in "ab":
        seen = page.locator(f"#box-{side}").bounding_box()
        assert seen is not None and seen["y"] + seen["height"] <= WIDE["height"], side

    # The slider's keys: a frame of the left video, a second with Shift, the ends.
    page.locator("#compare-scrub").focus()
    a, b = press(page, "ArrowRight")
    assert a == pytest.approx(1 / LEFT_FPS, abs=0.002) and b == pytest.approx(a, abs=0.002)
    a, b = press(page, "Shift+ArrowRight")
    assert a == pytest.approx(1 + 1 / LEFT_FPS, abs=0.002) and b == pytest.approx(a, abs=0.002)
    a, _ = press(page, "ArrowLeft")
    assert a == pytest.approx(1, abs=0.002)
    _, b = press(page, "End")
    assert b == pytest.approx(4, abs=0.05)  # the longer video's end
    assert press(page, "Home") == [0, 0]

    # Wiped: the divider is the next stop after the last control, and its arrows move it.
    page.check("#compare-wipe")
    page.focus("#compare-wipe")  # the last control
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "wipe-divider"
    page.keyboard.press("ArrowLeft")
    assert page.locator("#wipe-divider").get_attribute("aria-valuenow") == "49"
    for side, (box, _) in shapes(page).items():  # one box in A's shape, B over A
        assert box == pytest.approx(640 / 360, rel=0.02), side
    shoot(page, "compare-keys-wipe-wide")


NOTIFICATIONS = """
window.shown = [];
window.Notification = class {
  static permission = "granted";
  static requestPermission() { return Promise.resolve("granted"); }
  constructor(title, options) { this.title = title; this.listeners = []; window.shown.push(this); }
  addEventListener(type, listener) { this.listeners.push(listener); }
  close() {}
};
"""  # the browser's own prompt cannot be answered headless; this stands in, once allowed


def tab(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return page.evaluate(  # type: ignore[no-any-return]
        "() => ({title: document.title, icon: document.querySelector('link[rel=icon]').href})"
    )


def test_a_running_job_shows_in_the_tab_and_tells_when_it_is_done(
    server, browser, ana, ben, clip_path
):
    mine = with_thumbnail(finished_video(ana, clip_path, prompt="my slow sunrise"))
    lease = {"lease_owner": "elsewhere", "lease_expires_at": timezone.now() + timedelta(hours=1)}
    Video.objects.filter(pk=mine.pk).update(status="in_progress", progress=30, **lease)
    page = log_in(browser, server, "ana", "ana-password-1")
    page.context.add_init_script(NOTIFICATIONS)
    page.goto(f"{server}/videos/{mine.id}")
    wait_for(lambda: tab(page)["title"].startswith("30% · "), timeout=10)
    assert tab(page)["icon"].startswith("data:image/png")
    library = page.context.new_page()
    library.goto(server + "/")
    wait_for(lambda: tab(library)["title"].startswith("30% · Library"), timeout=10)

    Video.objects.filter(pk=mine.pk).update(progress=70)
    wait_for(lambda: tab(page)["title"].startswith("70% · "), timeout=10)
    wait_for(lambda: tab(library)["title"].startswith("70% · "), timeout=10)
    Video.objects.filter(pk=mine.pk).update(status="completed", progress=100)
    wait_for(lambda: tab(page)["title"].startswith("✓ Done · "), timeout=10)
    assert tab(page)["icon"].startswith("data:image/png")
    wait_for(lambda: tab(library)["title"].startswith("✓ Done · Library"), timeout=10)
    shown = library.evaluate("() => window.shown.map(n => n.title)")
    assert shown == ["Your video is ready"]
    library.evaluate("() => window.shown[0].listeners.forEach(listener => listener())")
    library.wait_for_url(f"{server}/videos/{mine.id}")  # the click opens the video


def test_a_teammate_s_new_video_appears_in_an_open_library(server, browser, ana, ben, source):
    page = log_in(browser, server, "ana", "ana-password-1", viewport=PHONE)
    page.evaluate("() => { window.stayed = true }")  # gone if the page reloads
    assert page.locator("details.filters-more").count() == 1  # folded on a phone
    first = page.locator(".card").first.bounding_box()
    shoot(page, "library-phone-filters-folded")
    assert first["y"] < 400  # type: ignore[index]
    news = job(ben, prompt="ben's storm at sea", status="failed", error_code="cancelled")
    page.wait_for_selector(f"#card-{news.id}", timeout=15_000)  # within one 10 s poll
    assert page.locator(".card").first.get_attribute("id") == f"card-{news.id}"
    assert page.locator(f"#card-{news.id} .badge").inner_text() == "Cancelled"
    assert page.evaluate("() => window.stayed === true")
    page.keyboard.press("Tab")  # from here on, focus is the keyboard's
    page.focus(f"#card-{news.id} .card-link")
    ring = page.locator(f"#card-{news.id}").evaluate("card => getComputedStyle(card).outlineStyle")
    assert ring == "solid"  # on the card, which clips its corners, not inside it
    shoot(page, "library-live-phone")


def test_change_the_prompt_and_run_again(server, browser, ana, clip_path):
    made = with_thumbnail(finished_video(ana, clip_path, prompt="calm blue waves"))
    page = log_in(browser, server, "ana", "ana-password-1")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.goto(f"{server}/videos/{made.id}")
    page.click("text=Copy prompt")
    page.wait_for_selector("button:has-text('Copied')")
    assert page.evaluate("() => navigator.clipboard.readText()") == "calm blue waves"
    page.click("text=Change the prompt and run again")
    page.wait_for_url(re.compile(r"/videos/new\?prompt=calm"))
    assert page.input_value("textarea[name=prompt]") == "calm blue waves"
    assert page.locator("select[name=size] option:checked").inner_text() == "Landscape 1280 × 720"
    page.fill("textarea[name=prompt]", "calm red waves")
    page.click('button:has-text("Create video")')
    page.wait_for_url(re.compile(r"/videos/video_[0-9a-f]+$"))
    again = Video.objects.exclude(pk=made.pk).get()
    assert again.prompt == "calm red waves" and again.size == "1280x720"


def test_the_provider_admin_fits_a_1440_px_window(server, browser, django_user_model):
    from remixer.models import CatalogEntry, Provider
    from remixer.providers.kinds import capabilities

    django_user_model.objects.create_superuser("olga", password="olga-password-1")
    http = Provider.objects.create(
        name="Studio GPU", base_url="http://gpu-box:8000/v1", extra_fields={"seed": 42}
    )
    CatalogEntry.objects.create(provider=http, name="sora-2", aliases="sora-2-pro")
    admin = log_in(browser, server, "olga", "olga-password-1", viewport=WIDE)
    for provider in (http, Provider.default()):
        admin.goto(f"{server}/admin/remixer/provider/{provider.pk}/change/")
        assert admin.evaluate("() => document.documentElement.scrollWidth") <= WIDE["width"]
        assert admin.locator("#id_base_url").count() == (
            1 if capabilities(provider).connects else 0
        )
        shoot(admin, f"admin-provider-{provider.kind}")


def test_the_owner_names_a_video_in_place_and_the_name_follows_it(
    server, browser, ana, ben, clip_path
):
    made = with_thumbnail(finished_video(ana, clip_path, prompt="calm blue waves at dusk"))
    page = log_in(browser, server, "ana", "ana-password-1")
    page.goto(f"{server}/videos/{made.id}")
    page.evaluate("() => { window.stayed = true }")  # gone if the page reloads
    page.click("text=Give it a title")
    page.fill("#id_title", "Dusk, take two")
    page.click("button:has-text('Save title')")
    page.wait_for_selector("h1#video-title:has-text('Dusk, take two')")
    assert page.evaluate("() => window.stayed === true")
    assert page.inner_text("#prompt-text") == "calm blue waves at dusk"  # what Copy prompt copies
    with page.expect_download() as download:
        page.click("a[download]")
    assert download.value.suggested_filename == "dusk-take-two.mp4"

    page.goto(f"{server}/?q=take+two")
    assert page.locator(f"#card-{made.id} .prompt").inner_text() == "Dusk, take two"
    teammate = log_in(browser, server, "ben", "ben-password-1", viewport=PHONE)
    teammate.goto(f"{server}/videos/{made.id}")
    assert teammate.locator("h1").inner_text() == "Dusk, take two"
    assert teammate.locator("text=Edit the title").count() == 0
