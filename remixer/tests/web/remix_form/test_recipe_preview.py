"""The remix form's live recipe and still, and stored recipes read back through the pages."""

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

from remixer.files import storage
from remixer.models.recipes import parse_recipe
from remixer.tests.conftest import finished_video, video_admin_url
from remixer.worker import stills

pytestmark = pytest.mark.django_db


def token(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_the_live_recipe_reads_the_whole_prompt(client, ana, source):
    client.force_login(ana)
    prompt = "please " * 1000 + "and make it sepia"  # 7,000 characters: the end still counts
    page = client.post(f"/recipe?video={source.pk}", {"prompt": prompt}).content.decode()
    assert "Sepia (100%)" in page
    assert f'src="/videos/{source.pk}/still?r=' in page


def test_the_preview_lists_unused_words_and_what_was_left_out(client, ana):
    client.force_login(ana)
    page = client.get("/recipe", {"prompt": "sepia but not mirrored, with sparkles"}).content
    assert b"Left out: mirrored" in page and b"&quot;sparkles&quot;" in page


def test_the_still_is_the_first_frame_through_the_recipe_at_full_size(client, ana, source):
    client.force_login(ana)
    recipe = parse_recipe("black and white")
    response = client.get(f"/videos/{source.pk}/still", {"r": stills.recipe_token(recipe)})
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "max-age" in response["Cache-Control"]
    image = np.asarray(Image.open(io.BytesIO(response.content)).convert("RGB"), dtype=np.int16)
    assert image.shape == (720, 1280, 3)
    assert np.abs(image[..., 0] - image[..., 2]).max() < 12  # black and white
    assert storage.exists(stills.still_name(source.pk))  # kept once, at full size
    again = client.get(f"/videos/{source.pk}/still", {"r": stills.recipe_token(recipe)})
    assert again.content == response.content


@pytest.mark.parametrize(
    ("r", "message"),
    [
        ("not base64!", "could not be read"),
        (token({"version": 2, "steps": [{"step": "sparkle"}]}), "no step called"),
        (token({"version": 2, "steps": [{"step": "speed", "params": {"factor": 99}}]}), "between"),
        (token(["a"]), "must be an object"),
        ("A" * 7000, "too long"),
    ],
)
def test_a_still_of_a_recipe_the_engine_cannot_follow_is_refused(client, ana, source, r, message):
    client.force_login(ana)
    response = client.get(f"/videos/{source.pk}/still", {"r": r})
    assert response.status_code == 400 and message in response.content.decode()


def test_a_stored_recipe_that_cannot_be_followed_is_shown_not_a_500(client, ana, clip_path):
    video = finished_video(ana, clip_path, recipe={"version": 2, "steps": [{"step": "sparkle"}]})
    client.force_login(ana)
    page = client.get(f"/videos/{video.pk}")
    assert page.status_code == 200
    assert "Recipe not usable: The engine has no step called" in page.content.decode()


def test_a_refused_remix_through_htmx_swaps_its_section_in_place(client, ana, source):
    client.force_login(ana)
    response = client.post(
        f"/videos/{source.pk}/remix",
        {"prompt": "sparkly unicorns", "form_token": "d" * 32},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<section class="remix"')
    assert 'aria-invalid="true"' in page and 'id="prompt-error"' in page
    assert ">sparkly unicorns</textarea>" in page


def test_an_accepted_remix_through_htmx_goes_to_the_new_video(client, ana, source):
    client.force_login(ana)
    response = client.post(
        f"/videos/{source.pk}/remix",
        {"prompt": "sepia", "form_token": "e" * 32},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/videos/video_")


def test_the_admin_reads_a_stored_recipe_through_the_same_door(
    client, django_user_model, ana, clip_path
):
    operator = django_user_model.objects.create_superuser("olga", password="olga-password-1")
    legacy = finished_video(ana, clip_path, recipe={"effects": ["sepia"], "caption": "Hi"})
    broken = finished_video(ana, clip_path, recipe={"version": 2, "steps": [{"step": "x"}]})
    client.force_login(operator)
    page = client.get(video_admin_url(legacy)).content.decode()
    assert "Sepia (100%); Caption &quot;Hi&quot; (bottom)" in page
    page = client.get(video_admin_url(broken))
    assert page.status_code == 200 and "no step called" in page.content.decode()
