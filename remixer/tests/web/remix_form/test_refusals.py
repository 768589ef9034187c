"""A prompt the local engine cannot follow, on the pages: refused in one sentence with at most
one thing to try (the list of what the engine understands is above the form already), the
recipe preview kept, and the Remix button's reason for being off ready beside it."""

import html
import uuid

import pytest
from django_tasks_db.models import DBTaskResult

from remixer.models import Video
from remixer.models.recipes import UNDERSTOOD

pytestmark = pytest.mark.django_db

THINGS = (
    "Adding, removing or replacing things in the picture needs a generative model; the local "
    "engine changes the whole picture (its colour, light, shape and time) and its sound."
)


def between(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def post_remix(client, source, prompt: str, **headers: str):  # type: ignore[no-untyped-def]
    data = {"prompt": prompt, "form_token": str(uuid.uuid4())}
    return client.post(f"/videos/{source.id}/remix", data, headers=headers)


REFUSED = [
    ("replace the dog with a cat", f"{THINGS} Try: black and white, slower."),
    (
        "make it nicer",
        'The local engine could not follow "nicer". Try: black and white, slower.',
    ),
    ("make it pastel", 'The local engine could not follow "pastel". Try: muted colours.'),
    (
        "add some music",
        "Adding music needs a generative model; the local engine can only change the sound "
        "the video already has. Try: louder, with an echo.",
    ),
    (
        "remove the music and replace the dog with a cat",  # the first ask, which says what
        "Removing only the music needs a generative model; the local engine can mute all "
        "the sound (write “mute”).",
    ),
    (
        "caption hello",
        'The local engine could not follow "caption", "hello". A caption goes in quotes, '
        'like "Summer 2026".',
    ),
]


def test_the_preview_refuses_in_one_sentence_and_one_thing_to_try(client, ana, source):
    client.force_login(ana)
    for prompt, said in REFUSED:
        preview = client.post(f"/recipe?video={source.id}", {"prompt": prompt}).content.decode()
        assert 'class="recipe-preview" aria-live="polite" data-refused>' in preview, prompt
        refusal = between(preview, '<p class="muted">', "</p>").replace("&quot;", '"')
        assert refusal == said
        assert "understands" not in preview  # the list is above the form already


def test_a_prompt_with_something_to_follow_is_not_refused(client, ana, source):
    client.force_login(ana)
    preview = client.post(f"/recipe?video={source.id}", {"prompt": "sepia and replace the dog"})
    shown = preview.content.decode()
    assert "data-refused" not in shown and "Sepia (100%)" in shown
    assert "Adding, removing or replacing things" in shown  # a note, not a refusal


def test_a_refused_remix_without_javascript_says_it_once_and_keeps_the_recipe(client, ana, source):
    client.force_login(ana)
    response = post_remix(client, source, "replace the dog with a cat")
    page = response.content.decode()
    assert response.status_code == 400
    assert html.unescape(page).count(UNDERSTOOD) == 1  # above the form, as before it was sent
    assert page.count("needs a generative model") == 1
    recipe = between(page, 'id="recipe"', "</div>")
    assert recipe.startswith(' class="recipe-preview" aria-live="polite" data-refused>')
    said = f"{THINGS} Try: black and white, slower."
    assert f'<p class="field-error" id="prompt-error" role="alert">{said}</p>' in recipe
    assert "Type what should change" not in page  # the preview is not reset
    box = between(page, '<textarea name="prompt"', "</textarea>")
    assert 'aria-invalid="true"' in box and 'aria-describedby="recipe"' in box
    assert " autofocus" in box and box.endswith(">replace the dog with a cat")
    reason = between(page, '<div class="submit-row">', "</div>")
    assert '<button type="submit">Remix</button>' in reason  # on: without JavaScript it sends
    assert 'id="remix-submit-reason" data-submit-reason hidden>' in reason
    assert "Nothing in the prompt can be followed yet." in reason
    assert Video.objects.count() == 1 and not DBTaskResult.objects.exists()


def test_a_refused_remix_through_htmx_is_the_section_with_the_same_words(client, ana, source):
    client.force_login(ana)
    response = post_remix(client, source, "make it pastel", HX_Request="true")
    section = response.content.decode()
    assert response.status_code == 200 and section.lstrip().startswith('<section class="remix"')
    said = "The local engine could not follow &quot;pastel&quot;. Try: muted colours."
    assert f'<p class="field-error" id="prompt-error" role="alert">{said}</p>' in section
    assert section.count("could not follow") == 1 and "data-refused" in section


def test_other_errors_of_the_prompt_keep_their_own_place(client, ana, source):
    client.force_login(ana)
    page = post_remix(client, source, "   ").content.decode()
    assert '<p class="field-error" id="prompt-error" role="alert">Write a prompt.</p>' in page
    assert 'aria-describedby="prompt-error recipe"' in page and "data-refused" not in page
