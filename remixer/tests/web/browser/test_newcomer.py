"""A creator's day in a real Chromium, as a newcomer who never read the README: a refused
remix and a good one, compare by keyboard alone, delete and follow the old link, restore,
export; on a 1440 px laptop, with a phone's header and the admin's list looked at too."""

import re

import pytest

from remixer.models import Video
from remixer.tests.conftest import PHONE, finished_video, log_in, shoot, wait_for
from remixer.tests.support.library import with_thumbnail
from remixer.tests.support.pages import WATCH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LAPTOP = {"width": 1440, "height": 900}
# A count of one with a plural noun: what no page may say.
ONE_MANY = re.compile(
    r"\b1 (?:other |more )?(videos|jobs|days|hours|remixes|files|retries|variations|imports"
    r"|exports|seconds|frames|keys)\b"
)
GOOD = "black and white, slower"


def test_a_newcomer_remixes_compares_deletes_restores_and_exports(
    server, browser, django_user_model, clip_path
):
    # The account `make run` prints: it may use the admin too.
    admin = django_user_model.objects.create_superuser("admin", password="admin-password-1")
    source = with_thumbnail(finished_video(admin, clip_path, prompt="calm blue waves"))
    page = log_in(browser, server, "admin", "admin-password-1", viewport=LAPTOP)
    page.context.grant_permissions(["notifications"])
    page.context.add_init_script(WATCH)

    page.goto(server + "/")
    counts_right(page)
    page.click(f"#card-{source.id} a >> nth=0")
    page.click("text=Use as source")
    box = page.locator("#remix textarea[name=prompt]")
    assert box.evaluate("box => box === document.activeElement")

    a_refused_prompt_says_why_in_one_sentence_and_keeps_the_button_off(page)
    remixes = a_good_prompt_makes_two_variations_the_tab_counts_up(page, source.id)
    compare_by_keyboard_alone(page, remixes[0])
    delete_follow_the_old_link_and_restore(browser, page, server, remixes[0])
    export_it(page, server, remixes[0])
    the_phone_s_header_is_one_row(browser, page, server)
    the_admin_list_shows_every_column(page, server)


def counts_right(page) -> None:  # type: ignore[no-untyped-def]
    """No count of one with a plural noun on the page."""
    words = page.locator("body").inner_text()
    assert not ONE_MANY.search(words), (page.url, ONE_MANY.search(words))


def a_refused_prompt_says_why_in_one_sentence_and_keeps_the_button_off(page) -> None:  # type: ignore[no-untyped-def]
    page.keyboard.type("replace the dog with a cat")
    page.wait_for_selector("#recipe[data-refused]")
    refusal = page.locator("#recipe").inner_text().strip()
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", refusal) if s]
    assert len(sentences) <= 2 and sentences[-1].startswith("Try: "), refusal
    button = page.locator("#remix button[type=submit]")
    assert button.is_disabled()
    reason = page.locator("#" + button.get_attribute("aria-describedby"))
    assert reason.is_visible() and "followed" in reason.inner_text()
    shoot(page, "newcomer-refused")


def a_good_prompt_makes_two_variations_the_tab_counts_up(page, source: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.fill("#remix textarea[name=prompt]", GOOD)
    page.wait_for_selector("#recipe:not([data-refused]) .chip:has-text('Black and white')")
    page.select_option("#remix select[name=count]", "2")
    button = page.locator("#remix button[type=submit]")
    assert button.is_enabled()
    button.click()
    page.wait_for_url(re.compile(rf"/videos/(?!{source}$)video_[0-9a-f]+$"))
    first = page.url.rsplit("/", 1)[1]
    page.wait_for_selector("#status video", timeout=120_000)
    made = Video.objects.get(pk=first)
    others = [video.pk for video in Video.objects.filter(batch=made.batch).exclude(pk=first)]
    assert len(others) == 1
    wait_for(lambda: Video.objects.get(pk=others[0]).is_finished, timeout=120)
    wait_for(lambda: len(page.evaluate("() => window.shown")) == 2, timeout=15)

    titles = page.evaluate("() => window.titles")
    shown = [int(m[1]) for m in map(re.compile(r"(\d+)%").match, titles) if m]
    assert shown == sorted(shown), titles  # never backwards
    assert any("of 2 jobs left" in title or "2 jobs left" in title for title in titles), titles
    bodies = [note["body"] for note in page.evaluate("() => window.shown")]
    assert bodies == [GOOD, GOOD], bodies  # the video's name, never the tab's title
    counts_right(page)
    shoot(page, "newcomer-remixed")
    return [first, *others]


def compare_by_keyboard_alone(page, remix: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.url.rsplit("/", 2)[0] + f"/videos/{remix}/compare")
    page.wait_for_selector("#compare-scrub:not([disabled])")
    counts_right(page)
    fps = float(page.get_attribute("#compare", "data-fps"))
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "compare-scrub":
            break
    else:
        raise AssertionError("Tab never reached the position slider")
    before = page.evaluate("() => document.getElementById('video-a').currentTime")
    page.keyboard.press("ArrowRight")
    wait_for(lambda: page.evaluate("() => document.getElementById('video-a').currentTime") > before)
    stepped = page.evaluate("() => document.getElementById('video-a').currentTime") - before
    assert abs(stepped - 1 / fps) < 0.5 / fps, (stepped, fps)
    page.keyboard.press("Shift+ArrowRight")
    wait_for(
        lambda: page.evaluate("() => document.getElementById('video-a').currentTime") > before + 1
    )
    for _ in range(5):  # on to Wipe: the divider follows the controls
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "compare-wipe":
            break
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "wipe-divider"
    now = int(page.get_attribute("#wipe-divider", "aria-valuenow"))
    page.keyboard.press("ArrowLeft")
    assert int(page.get_attribute("#wipe-divider", "aria-valuenow")) < now
    shoot(page, "newcomer-compare")


def delete_follow_the_old_link_and_restore(browser, page, server, remix: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/videos/{remix}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#video-page button.danger:has-text('Delete')")
    page.wait_for_url(server + "/")
    counts_right(page)
    browser.expected_complaints.append(f"404 (Not Found) ({server}/videos/{remix})")
    browser.expected_complaints.append(f"404 (Not Found) ({server}/no-such-page)")
    answer = page.goto(f"{server}/videos/{remix}")  # the old link
    assert answer is not None and answer.status == 404
    assert page.locator("header.top").is_visible()  # the site's page, not a bare one
    assert "in the Trash" in page.locator("h1").inner_text()
    counts_right(page)
    page.click("button:has-text('Restore')")
    page.wait_for_url(f"{server}/videos/{remix}")
    page.wait_for_selector("#status video")
    assert not Video.objects.get(pk=remix).trashed
    missing = page.goto(f"{server}/no-such-page")
    assert missing is not None and missing.status == 404
    assert page.locator("header.top").is_visible()


def export_it(page, server, remix: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/exports")
    page.check(f"input[name=v][value={remix}]")
    page.click("button:has-text('Export selected')")
    page.wait_for_selector("text=Download the ZIP", timeout=60_000)
    counts_right(page)
    assert "1 video," in page.locator("#export-progress").inner_text()
    with page.expect_download() as download:
        page.click("text=Download the ZIP")
    assert download.value.suggested_filename.endswith(".zip")


def the_phone_s_header_is_one_row(browser, page, server) -> None:  # type: ignore[no-untyped-def]
    phone = browser.new_context(viewport=PHONE).new_page()
    phone.context.add_cookies(page.context.cookies())
    for path in ("/", "/trash", "/exports"):
        phone.goto(server + path)
        height = phone.locator("header.top").bounding_box()["height"]  # type: ignore[index]
        assert height <= 56, (path, height)


def the_admin_list_shows_every_column(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/admin/remixer/video/")
    for header in ("Title or prompt", "Owner", "Status", "Kind", "Provider", "Created"):
        box = page.locator("#result_list thead th", has_text=header).first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= LAPTOP["width"], header
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
