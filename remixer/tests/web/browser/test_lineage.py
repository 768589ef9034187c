"""A video's family tree in a real Chromium, on a desktop and a phone, with a trashed
video in the middle of it."""

import pytest
from django.utils import timezone

from remixer.tests.conftest import (
    PHONE,
    finished_video,
    log_in,
    made_from,
    shoot,
    video_row,
    wait_for,
)
from remixer.tests.support.library import with_thumbnail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_family_tree_keeps_a_trashed_video_s_children_in_place(
    server, browser, ana, ben, clip_path
):
    root = with_thumbnail(finished_video(ana, clip_path, prompt="calm blue waves at dusk"))
    grey = with_thumbnail(
        finished_video(
            ben, clip_path, prompt="calm blue waves at dusk, black and white", **made_from(root)
        )
    )
    trashed = finished_video(
        ana,
        clip_path,
        prompt="black and white, slow motion",
        trashed_at=timezone.now(),
        **made_from(grey, "extension"),
    )
    child = video_row(
        ana,
        prompt="black and white, slow motion mirrored",
        status="failed",
        error_code="cancelled",
        **made_from(trashed, "edit"),
    )
    page = log_in(browser, server, "ana", "ana-password-1")
    page.goto(f"{server}/videos/{grey.id}")
    page.wait_for_selector("#lineage .lineage-tree")
    ids = page.locator(".lineage-node").evaluate_all("nodes => nodes.map(n => n.id)")
    assert ids == [f"node-{v.id}" for v in (root, grey, trashed, child)]
    nested = page.locator(f"#node-{trashed.id} > ul > #node-{child.id}")
    assert nested.count() == 1  # the child stays under the trashed video
    current = page.locator(".lineage-current > .lineage-card")
    assert current.count() == 1 and "This video" in current.inner_text()
    assert current.evaluate("card => getComputedStyle(card).borderTopColor") != "rgba(0, 0, 0, 0)"
    gone = page.locator(f"#node-{trashed.id} > .lineage-card")
    assert "Deleted" in gone.inner_text() and "slow motion" in gone.inner_text()
    assert gone.locator("a, img").count() == 0
    edit = page.locator(f"#node-{child.id} > .lineage-card")
    assert "edit" in edit.inner_text() and "Cancelled" in edit.inner_text()
    assert edit.locator("ins").all_inner_texts() == ["mirrored"]  # against its parent
    thumbnail = page.locator(f"#node-{root.id} > .lineage-card img")
    wait_for(lambda: thumbnail.evaluate("image => image.complete && image.naturalWidth > 0"))
    shoot(page, "lineage-desktop")

    page.click(f"#node-{root.id} .lineage-prompt a")  # up the tree: the root is now current
    page.wait_for_url(f"{server}/videos/{root.id}")
    page.wait_for_selector(f"#node-{root.id}.lineage-current")
    assert page.locator(".lineage-node").count() == 4

    phone = log_in(browser, server, "ana", "ana-password-1", viewport=PHONE)
    phone.goto(f"{server}/videos/{child.id}")
    phone.wait_for_selector(f"#node-{child.id}.lineage-current")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(phone, "lineage-phone")
