"""The studio in a real Chromium: compare, change and run again, live library, job in the tab."""

from pathlib import Path

import pytest

from remixer import media
from remixer.models import Video
from remixer.providers.local import render_create
from remixer.tests.conftest import PHONE, finished_video, log_in, shoot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FRAME = 1 / 24


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


def with_thumbnail(video: Video) -> Video:
    """As the pipeline leaves a finished video: its page shows the thumbnail as a poster."""
    video.thumbnail_file.name = video.video_file.name.replace("video.mp4", "thumbnail.webp")
    media.make_thumbnail(Path(video.video_file.path), Path(video.thumbnail_file.path))
    video.save(update_fields=["thumbnail_file"])
    return video


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
