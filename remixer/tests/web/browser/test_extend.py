"""The Extend form beside the remix form, in a real Chromium: submitted through htmx, it
opens the new video's page, which says what it was extended from."""

import pytest

from remixer.tests.conftest import log_in, shoot
from remixer.tests.support.library import rendered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_extend_opens_the_longer_video_which_names_its_source(server, browser, ana):
    source = rendered("Ocean waves at golden sunset", "640x360", "4")
    page = log_in(browser, server, "ana", "ana-password-1")
    page.goto(f"{server}/videos/{source.id}")
    assert page.locator("textarea[name=prompt]").count() == 1  # the remix form's, alone
    extend = page.locator("#extend")
    extend.locator("textarea").fill("the sun sinks below the sea")
    extend.locator("select").select_option("12")
    extend.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: source.id not in url)
    details = page.locator(".fields")
    details.wait_for()
    assert "extended from" in details.inner_text()
    assert details.locator(f"a[href='/videos/{source.id}']").count() == 1
    assert "16" in details.locator("dt:has-text('seconds') + dd").inner_text()
    shoot(page, "extend-opened")
