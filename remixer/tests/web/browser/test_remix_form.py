"""The remix form in a real Chromium: a prefilled prompt's recipe and the cursor at its end from
the first answer, the recipe and its still while typing, the Remix button off (and saying why)
while nothing can be followed, a refused prompt's one sentence where the creator is looking
with the recipe kept, and Use as source opening the form."""

import pytest

from remixer.tests.conftest import DESKTOP, log_in, shoot, wait_for
from remixer.tests.support.library import rendered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUTTON = "form[action$='/remix'] button[type=submit]"
THINGS = (
    "Adding, removing or replacing things in the picture needs a generative model; the local "
    "engine changes the whole picture (its colour, light, shape and time) and its sound."
)


def in_viewport(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"]


def typing_at_the_end(page) -> bool:  # type: ignore[no-untyped-def]
    """Whether the prompt box has the focus, with the cursor after its text."""
    return bool(
        page.evaluate(
            """() => {
                const box = document.activeElement;
                return box instanceof HTMLTextAreaElement && box.name === "prompt"
                    && box.selectionStart === box.value.length
                    && box.selectionEnd === box.value.length;
            }"""
        )
    )


def off_with_its_reason(page) -> bool:  # type: ignore[no-untyped-def]
    button, reason = page.locator(BUTTON), page.locator("#remix-submit-reason")
    return (
        button.is_disabled()
        and reason.is_visible()
        and button.get_attribute("aria-describedby") == "remix-submit-reason"
    )


def test_the_remix_form_from_a_prefilled_link_to_a_refusal(server, browser, ana):
    source = rendered("Ocean waves at golden sunset", "640x360", "4")
    page = log_in(browser, server, "ana", "ana-password-1")
    # "Change the prompt and run again": the recipe and its still come with the page.
    page.goto(f"{server}/videos/{source.id}?prompt=black%20and%20white#remix")
    assert page.locator("#recipe li").all_inner_texts() == ["Black and white"]
    assert page.locator("#recipe img.recipe-still").count() == 1
    wait_for(lambda: typing_at_the_end(page), timeout=10, interval=0.1)
    assert page.locator(BUTTON).is_enabled()

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

    # Nothing to follow: the button is off and says why; something to follow turns it on.
    page.fill("textarea[name=prompt]", "replace the dog with a cat")
    page.wait_for_selector("#recipe[data-refused]")
    assert off_with_its_reason(page)
    assert page.locator("#remix-submit-reason").inner_text() == (
        "Nothing in the prompt can be followed yet."
    )
    page.fill("textarea[name=prompt]", "replace the dog with a cat, slower")
    page.wait_for_selector("#recipe li:has-text('Speed')")
    assert (
        page.locator(BUTTON).is_enabled() and not page.locator("#remix-submit-reason").is_visible()
    )
    assert page.locator(BUTTON).get_attribute("aria-describedby") is None

    # Sent anyway (a form sent before its preview came back): one sentence, one thing to try.
    page.fill("textarea[name=prompt]", "replace the dog with a cat")
    page.wait_for_selector("#recipe[data-refused]")
    page.mouse.wheel(0, -10_000)  # the creator looks at the top of the page, then submits
    page.dispatch_event("form[action$='/remix']", "submit")
    message = page.locator("#recipe #prompt-error")
    message.wait_for()
    page.wait_for_timeout(300)  # the swap scrolls the form into view
    assert message.inner_text() == f"{THINGS} Try: black and white, slower."
    assert in_viewport(page, "#prompt-error")
    assert page.locator("#recipe[data-refused]").count() == 1  # the recipe kept, not reset
    assert page.locator("text=Type what should change").count() == 0
    field = page.locator("textarea[name=prompt]")
    assert field.input_value() == "replace the dog with a cat"
    assert field.get_attribute("aria-invalid") == "true"
    assert (field.get_attribute("aria-describedby") or "").split() == ["recipe"]
    assert off_with_its_reason(page)
    assert page.url == f"{server}/videos/{source.id}?prompt=black%20and%20white#remix"
    shoot(page, "remix-form-refused")

    # Use as source, on the video's own page: the form opens where it is, ready to type.
    field.blur()
    page.mouse.wheel(0, -10_000)
    page.click("a[data-use-as-source]")
    wait_for(lambda: typing_at_the_end(page), timeout=10, interval=0.1)
    assert in_viewport(page, "textarea[name=prompt]")
    assert page.locator("#prompt-error").count() == 1  # the same page: nothing loaded again

    # Use as source from anywhere else is a link to the video's page, which opens its form.
    page.goto(f"{server}/videos/{source.id}?remix=1#remix")
    wait_for(lambda: typing_at_the_end(page), timeout=10, interval=0.1)
    assert field.input_value() == "" and page.locator(BUTTON).is_enabled()

    # The New video form, prefilled: what the painter will draw comes with the page.
    page.goto(f"{server}/videos/new?prompt=a%20calm%20sunset&model=remixer-local")
    assert "The engine will draw:" in page.locator("#create-recipe").inner_text()
    wait_for(lambda: typing_at_the_end(page), timeout=10, interval=0.1)
