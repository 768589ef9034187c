"""The remix form in a real Chromium: the recipe and its still while typing, and a refused
prompt's message where the creator is looking."""

import pytest

from remixer.actions import demo
from remixer.tests.conftest import DESKTOP, log_in, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_viewport(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"]


def test_typing_shows_the_recipe_and_its_still_and_a_refusal_is_in_view(server, browser, ana):
    source = demo.make_video("Ocean waves at golden sunset", "640x360", "4")
    page = log_in(browser, server, "ana", "ana-password-1")
    page.goto(f"{server}/videos/{source.id}")

    page.fill("textarea[name=prompt]", "old film without the vignette, 'Summer 2026' at the top")
    page.wait_for_selector("#recipe li:has-text('Film grain (50%), from Old film')")
    assert page.locator("#recipe li:has-text('Vignette')").count() == 0
    page.wait_for_selector("#recipe li:has-text('Caption \"Summer 2026\" (top)')")
    still = page.locator("#recipe img.recipe-still")
    still.wait_for()
    for _ in range(100):
        if still.evaluate("img => img.complete && img.naturalWidth") == 640:
            break
        page.wait_for_timeout(100)
    assert still.evaluate("img => img.naturalWidth") == 640
    shoot(page, "remix-form-still")

    page.fill("textarea[name=prompt]", "make it sparkly with unicorns")
    page.wait_for_selector("#recipe p:has-text('could not follow')")
    page.mouse.wheel(0, -10_000)  # the creator looks at the top of the page, then submits
    page.dispatch_event("form[action$='/remix']", "submit")
    message = page.locator("#prompt-error")
    message.wait_for()
    page.wait_for_timeout(300)  # the swap scrolls the form into view
    assert "sparkly" in message.inner_text() and "unicorns" in message.inner_text()
    assert in_viewport(page, "#prompt-error")
    field = page.locator("textarea[name=prompt]")
    assert field.input_value() == "make it sparkly with unicorns"
    assert field.get_attribute("aria-invalid") == "true"
    assert "prompt-error" in (field.get_attribute("aria-describedby") or "").split()
    assert page.url == f"{server}/videos/{source.id}"
    shoot(page, "remix-form-refused")
