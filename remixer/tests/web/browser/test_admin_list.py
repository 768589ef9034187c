"""In a real Chromium on a 1440 px screen: the admin's list of videos shows every column
without scrolling sideways, each video on one line."""

import pytest
from django.utils import timezone

from remixer.models import Video
from remixer.tests.conftest import job, log_in, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.browser_only,
    pytest.mark.django_db(transaction=True),
]

WIDE = {"width": 1440, "height": 900}
COLUMNS = {
    "name": "Title or prompt",
    "owner": "Owner",
    "status_now": "Status",
    "kind_word": "Kind",
    "provider": "Provider",
    "made": "Created",
}
LONG = "A storm over the ocean at night, lightning over the waves, " * 6
TITLE = "Harbour at dawn, " * 10


def test_every_column_is_in_view_and_each_prompt_on_one_line(
    server, browser, ana, django_user_model
):
    django_user_model.objects.create_superuser("olga", password="olga-password-1")
    job(ana, prompt=LONG)
    job(ana, prompt=LONG.upper(), kind=Video.Kind.EXTENSION, status="in_progress", progress=40)
    job(ana, prompt=LONG, title=TITLE, status=Video.Status.COMPLETED)
    job(ana, prompt=LONG, status=Video.Status.FAILED, trashed_at=timezone.now())
    page = log_in(browser, server, "olga", "olga-password-1", viewport=WIDE)
    page.goto(f"{server}/admin/remixer/video/")

    # The list scrolls sideways inside its own box when it is too wide: nothing may hide there.
    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth <= box.clientWidth")
    visible = results.bounding_box()
    assert visible is not None and visible["x"] + visible["width"] <= WIDE["width"]
    for column, header in COLUMNS.items():
        cell = page.locator(f"#result_list thead th.column-{column}")
        assert (cell.text_content() or "").strip() == header
        box = cell.bounding_box()
        assert box is not None, column
        assert visible["x"] <= box["x"], column
        assert box["x"] + box["width"] <= visible["x"] + visible["width"], (column, box, visible)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]

    names = page.locator("#result_list tbody .field-name")
    assert names.count() == 4
    line = names.first.evaluate("cell => parseFloat(getComputedStyle(cell).lineHeight)")
    for index in range(4):
        name = names.nth(index)
        tops = name.locator("span").evaluate(
            "span => [...span.getClientRects()].map(box => Math.round(box.top))"
        )
        assert len(set(tops)) == 1, tops  # its text on one line
        assert name.locator("span").get_attribute("title") in {
            " ".join(LONG.split()),
            " ".join(LONG.upper().split()),
            " ".join(TITLE.split()),
        }
        padding = name.evaluate(
            "cell => parseFloat(getComputedStyle(cell).paddingTop)"
            " + parseFloat(getComputedStyle(cell).paddingBottom)"
        )
        assert (name.bounding_box() or {"height": 0})["height"] - padding < 2 * line
    row = page.locator("#result_list tbody tr", has_text="In progress 40%")
    assert "Extension" in row.inner_text()
    assert page.locator("#result_list tbody tr", has_text="Failed (trashed)").count() == 1
    shoot(page, "admin-videos-1440")
