"""The newcomer's walk in a real Chromium, against `manage.py serve` (gunicorn and workers)."""

import re
import shutil
import time

import pytest

from remixer.models import Video
from remixer.tests.conftest import DESKTOP, PHONE, log_in, shoot, wait_until_playable
from remixer.tests.support.library import rendered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_newcomer_remixes_the_long_demo_video_and_watches_it_finish(server, browser, ana, ben):
    source = rendered("Ocean waves at golden sunset, slow drifting circles", "1280x720", "12")
    rendered("Candy pop bubbles bouncing on pink", "720x1280", "4")
    page = log_in(browser, server, "ana", "ana-password-1")
    shoot(page, "library-desktop")

    page.click(f"a[href='/videos/{source.id}']")
    page.fill("textarea[name=prompt]", "black and white, slow motion")
    page.wait_for_selector("#recipe .chip:has-text('Black and white')")
    page.click("form[action$='/remix'] button[type=submit]")  # htmx, then the new page
    page.wait_for_url(re.compile(rf"/videos/(?!{source.id})video_[0-9a-f]+$"))
    remix_id = page.url.rsplit("/", 1)[1]
    assert remix_id != source.id

    shelf = page.context.new_page()  # the library, in another tab
    shelf.goto(server + "/")
    shelf.evaluate("() => { window.stayed = true }")  # gone if the page reloads
    teammate = log_in(browser, server, "ben", "ben-password-1", viewport=PHONE)
    teammate.goto(f"{server}/videos/{remix_id}")
    shoot(teammate, "running-job-phone")

    seen_progress, seen_status = watch(page)
    assert len(seen_progress - {0}) >= 2, seen_progress
    assert {"in_progress", "completed"} <= seen_status, seen_status

    player = page.locator("#status video")
    wait_until_playable(page)
    assert abs(player.evaluate("v => v.duration") - 12) < 0.2
    assert Video.objects.get(pk=remix_id).status == "completed"
    assert page.locator("#remix textarea[name=prompt]").is_visible()  # remix on, no reload
    shoot(page, "finished-remix-desktop")

    shelf.wait_for_selector(f"#card-{remix_id} img", timeout=30_000)  # its thumbnail, live
    assert shelf.locator(f"#card-{remix_id} .badge").inner_text() == "Completed"
    assert shelf.evaluate("() => window.stayed === true")
    teammate.wait_for_selector("#status video", timeout=30_000)
    assert teammate.locator("#status video").get_attribute("src") == f"/videos/{remix_id}/content"
    shoot(teammate, "finished-remix-phone")
    teammate.goto(server + "/")
    shoot(teammate, "library-phone")


def watch(page, timeout: float = 180) -> tuple[set[int], set[str]]:  # type: ignore[no-untyped-def]
    """Watch the status fragment without reloading; note each progress value and status shown."""
    progress: set[int] = set()
    statuses: set[str] = set()
    deadline = time.monotonic() + timeout
    shot = False
    while time.monotonic() < deadline:
        state = page.evaluate(
            """() => {
                const s = document.querySelector('#status');
                const shown = [...document.querySelectorAll('#status, #progress')];
                const p = s && s.querySelector('progress');
                return {cls: shown.map(e => e.className).join(' '),
                        value: p ? p.value : null,
                        stages: document.querySelectorAll('#status').length,
                        done: !!(s && s.querySelector('video'))};
            }"""
        )
        statuses.update(re.findall(r"status-(\w+)", state["cls"]))
        assert state["stages"] == 1, "the finished stage must replace the running one"
        if state["value"] is not None:
            progress.add(int(state["value"]))
            if not shot and state["value"] > 0:
                shoot(page, "running-job-desktop")
                shot = True
        # htmx settles a swapped element: for a moment the new #status wears the old
        # one's attributes, so the stage is finished once its class says so too.
        if state["done"] and "completed" in statuses:
            return progress, statuses
        time.sleep(0.1)
    raise AssertionError(f"the job did not finish in {timeout} s: {progress} {statuses}")


def test_the_first_load_of_a_full_library_is_light(server, browser, ana, clip_path, tmp_path):
    from remixer.lib import media
    from remixer.tests.conftest import finished_video, made_from

    thumbnail, spritesheet = tmp_path / "thumbnail.webp", tmp_path / "spritesheet.jpg"
    media.make_thumbnail(clip_path, thumbnail)
    media.make_spritesheet(clip_path, spritesheet)
    family: list[Video] = []  # the last six, each a remix of the one before
    for n in range(30):
        video = finished_video(ana, clip_path, **(made_from(family[-1]) if family else {}))
        if n >= 24:
            family.append(video)
        for made, field in [
            (thumbnail, video.thumbnail_file),
            (spritesheet, video.spritesheet_file),
        ]:
            field.name = video.video_file.name.replace("video.mp4", made.name)
            shutil.copy(made, field.path)
        video.save(update_fields=["thumbnail_file", "spritesheet_file"])
    cookies = log_in(browser, server, "ana", "ana-password-1").context.cookies()
    page, moved, scripts = first_load(browser, cookies, server + "/")
    print(f"first load of the library: {moved} bytes")
    assert 0 < moved < 150_000
    assert len(scripts) == 2 and "htmx" in scripts[0] and "/static/pages." in scripts[1]

    # A card's moving preview loads when the pointer first reaches it, and moves.
    assert "spritesheet" not in " ".join(fetched(page))
    with page.expect_response(lambda response: "variant=spritesheet" in response.url) as sheet:
        page.hover(".card-link")
    assert sheet.value.status == 200
    frames = page.locator(".card .preview-frames").first
    shown = set()
    for _ in range(12):
        shown.add(frames.evaluate("image => getComputedStyle(image).transform"))
        page.wait_for_timeout(100)
    assert len(shown) >= 3, shown
    shoot(page, "library-preview-desktop")
    assert sum("spritesheet" in url for url in fetched(page)) == 1

    # The video page too, its family tree loaded: htmx, the pages' helpers and the forms'
    # (its remix and extend forms), never the compare page's.
    page, moved, scripts = first_load(browser, cookies, f"{server}/videos/{family[2].id}")
    print(f"first load of a video page: {moved} bytes")
    assert page.locator("#lineage .lineage-node").count() == 6
    assert 0 < moved < 150_000
    assert len(scripts) == 3 and "/static/forms." in scripts[2]
    assert not any("compare" in src for src in scripts)


def first_load(browser, cookies, url: str):  # type: ignore[no-untyped-def]
    """A page opened with an empty cache, the bytes it moved, and the scripts it runs.

    A player's own stream is left out: how far Chromium buffers a video it was told to
    preload only the metadata of depends on the machine's pace (300 bytes here, 128 KB on a
    busy machine). Its poster, which every visitor loads, is counted."""
    fresh = browser.new_context(viewport=DESKTOP)  # an empty cache: a true first load
    fresh.add_cookies(cookies)
    page = fresh.new_page()
    page.goto(url, wait_until="networkidle")
    moved = page.evaluate(
        """() => performance.getEntriesByType('navigation')
            .concat(performance.getEntriesByType('resource'))
            .filter(entry => !(entry.initiatorType === 'video' && entry.name.endsWith('/content')))
            .reduce((sum, entry) => sum + entry.transferSize, 0)"""
    )
    return page, moved, page.evaluate("() => [...document.scripts].map(s => s.src)")


def fetched(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")


def test_a_search_narrows_the_library_as_it_is_typed(server, browser, ana, ben, clip_path):
    from remixer.tests.conftest import finished_video

    waves = finished_video(ana, clip_path, prompt="Ocean waves at dusk")
    storm = finished_video(ben, clip_path, prompt="A storm over the ocean")
    city = finished_video(ben, clip_path, prompt="City lights at night")
    page = log_in(browser, server, "ana", "ana-password-1")
    page.evaluate("() => { window.stayed = true }")  # gone if the page reloads

    page.focus("input[name=q]")  # by keyboard, as someone types
    page.keyboard.type("ocean")
    page.wait_for_url(f"{server}/?q=ocean*")
    page.wait_for_selector(f"#results a[href='{city.get_absolute_url()}']", state="detached")
    shown = page.eval_on_selector_all("#results a.card-link", "links => links.map(a => a.pathname)")
    assert sorted(shown) == sorted([waves.get_absolute_url(), storm.get_absolute_url()])

    page.keyboard.press("Tab")  # the status
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # only mine
    page.wait_for_selector(f"#results a[href='{storm.get_absolute_url()}']", state="detached")
    assert page.locator("#results a.card-link").count() == 1
    assert page.evaluate("() => window.stayed === true")
    shoot(page, "library-search-desktop")

    page.go_back()  # the previous search comes back with its results
    page.wait_for_selector(f"#results a[href='{storm.get_absolute_url()}']")
    assert page.locator("input[name=mine]").is_checked() is False
