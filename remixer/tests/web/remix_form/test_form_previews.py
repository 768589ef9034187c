"""The Extend and New video forms show what will happen before they are sent, through the
remix form's preview: what an extension follows and a still of where it ends, and what a new
video's painter will draw."""

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from remixer.models import CatalogEntry, Provider
from remixer.tests.conftest import finished_video
from remixer.tests.support.source_clips import decode, diff, write_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def moving(ana, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A finished 2 s video whose last frame differs from its first (a bar moves)."""
    clip = write_source(tmp_path / "moving.mp4")
    return finished_video(ana, clip, size="256x144", seconds="2"), decode(clip)


def extend_preview(client, video, prompt: str) -> str:  # type: ignore[no-untyped-def]
    url = f"/recipe?video={video.pk}&kind=extension"
    return client.post(url, {"extend-prompt": prompt}).content.decode()


def still_at(client, page: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    src = page.split('class="recipe-still" src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    response = client.get(src)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    return np.asarray(Image.open(io.BytesIO(response.content)).convert("RGB"))


def test_the_extend_form_asks_for_its_preview_and_says_which_words_it_follows(client, ana, moving):
    source = moving[0]
    client.force_login(ana)
    page = client.get(f"/videos/{source.pk}").content.decode()
    extend = page.split('id="extend"', 1)[1]
    assert "An extension follows colour, light and texture words" in extend
    assert f'hx-post="/recipe?video={source.pk}&amp;kind=extension"' in extend
    assert 'hx-target="#extend-recipe"' in extend and 'id="extend-recipe"' in extend


def test_the_extend_preview_lists_what_it_follows_and_stills_the_last_frame(client, ana, moving):
    video, frames = moving
    client.force_login(ana)
    page = extend_preview(client, video, "the sky fades to deep blue, reversed")
    assert page.lstrip().startswith('<div id="extend-recipe"')
    assert "From the last frame, the new part moves toward:" in page
    assert "Tint (blue" in page and "leaves out: Reverse" in page
    assert "Not used:" in page and "&quot;sky&quot;" in page
    assert "&amp;frame=last" in page
    still = still_at(client, page).astype(np.float64)
    last = frames[-1].astype(np.float64)
    assert still.shape == last.shape
    blue = still[..., 2].sum() / still.sum()
    assert blue > last[..., 2].sum() / last.sum() + 0.1  # the tint in full, on the last frame


def test_words_an_extension_cannot_follow_are_said_and_the_last_frame_shown(client, ana, moving):
    video, frames = moving
    client.force_login(ana)
    page = extend_preview(client, video, "the waves calm down")
    assert "An extension follows none of these words" in page
    still = still_at(client, page)
    assert diff(still, frames[-1]) < diff(still, frames[0])  # the last frame, not the first
    assert diff(still, frames[-1]) < 4


def test_the_new_video_form_asks_for_what_the_painter_will_draw(client, ana):
    client.force_login(ana)
    page = client.get("/videos/new").content.decode()
    assert 'hx-post="/recipe?kind=create"' in page and 'id="create-recipe"' in page
    assert "change from:#id_model" in page


def test_the_painter_says_what_it_draws_and_the_words_it_leaves(client, ana):
    client.force_login(ana)
    prompt = "A calm sunset full of bubbles, and a dog"
    page = client.post("/recipe?kind=create", {"prompt": prompt, "model": "remixer-local"})
    shown = page.content.decode()
    assert shown.lstrip().startswith('<div id="create-recipe"')
    assert "The engine will draw:" in shown
    assert "Colours: warm sunset colours (from &quot;sunset&quot;)" in shown
    assert "Shapes: soft circles (from &quot;bubbles&quot;)" in shown
    assert "Motion: a slow drift (from &quot;calm&quot;)" in shown
    assert "Not used: &quot;full&quot;, &quot;dog&quot;" in shown
    chance = client.post("/recipe?kind=create", {"prompt": "a dog", "model": "remixer-local"})
    assert "picked by chance" in chance.content.decode()


def test_another_providers_model_takes_the_prompt_as_written(client, ana):
    provider = Provider.objects.create(
        name="Studio server", base_url="http://127.0.0.1:9", api_key="test-key"
    )
    CatalogEntry.objects.create(provider=provider, name="sora-2")
    client.force_login(ana)
    page = client.post("/recipe?kind=create", {"prompt": "an ocean", "model": "sora-2"})
    shown = page.content.decode()
    assert "sent to Studio server as written" in shown and "Colours" not in shown


def test_a_refused_form_keeps_the_preview_of_its_prompt_without_asking_again(client, ana, moving):
    source = moving[0]
    client.force_login(ana)
    data = {"extend-prompt": "the sky fades to deep blue", "extend-seconds": "7"}
    response = client.post(f"/videos/{source.pk}/extend", data)
    page = response.content.decode()
    assert response.status_code == 400 and "An extension adds" in page
    preview = page.split('id="extend-recipe"', 1)[1].split("</div>\n</", 1)[0]
    assert "From the last frame, the new part moves toward:" in preview and "Tint (blue" in preview
    box = page.split('<textarea name="extend-prompt"', 1)[1].split(">", 1)[0]
    assert " autofocus" in box and ", load" not in box
    new = {"prompt": "A calm sunset", "model": "remixer-local", "size": "1x1", "seconds": "4"}
    drawn = client.post("/videos/new", new).content.decode()
    assert "The engine will draw:" in drawn and "warm sunset colours" in drawn
