"""Iterating on a video: change the prompt and run again, copy it, use a video as a source."""

import html

import pytest

from remixer.models import Video
from remixer.tests.conftest import finished_video, job

pytestmark = pytest.mark.django_db


def test_a_finished_video_offers_its_prompt_to_change_and_run_again(client, ana, source):
    failed = job(ana, prompt="a storm & a ship", status=Video.Status.FAILED)
    client.force_login(ana)
    page = html.unescape(client.get(failed.get_absolute_url()).content.decode())
    link = (
        "/videos/new?prompt=a%20storm%20%26%20a%20ship&model=remixer-local&size=720x1280&seconds=8"
    )
    assert f'href="{link}">Change the prompt and run again' in page
    assert "Retry" in page and "Copy prompt" not in page  # Retry stays for the same again
    form = client.get(link).content.decode()
    assert "\na storm &amp; a ship</textarea>" in form
    assert '<option value="720x1280" selected>Portrait 720 × 1280</option>' in form
    assert '<option value="8" selected>' in form
    box = form.split('<textarea name="prompt"', 1)[1].split(">", 1)[0]
    assert " autofocus" in box and ", load" not in box  # ready to type; no second request
    drawn = form.split('id="create-recipe"', 1)[1].split("</div>", 1)[0]
    assert "The engine will draw:" in drawn and "Colours:" in drawn  # drawn in the first answer
    assert "Change the prompt" not in client.get(job(ana).get_absolute_url()).content.decode()


def test_a_remix_runs_again_from_the_remix_form_of_the_same_source(
    client, ana, ben, source, clip_path
):
    remix = finished_video(
        ben,
        clip_path,
        prompt="black and white",
        remixed_from=source,
        remixed_from_video_id=source.id,
    )
    client.force_login(ana)
    page = client.get(remix.get_absolute_url()).content.decode()
    link = f"/videos/{source.id}?prompt=black%20and%20white#remix"
    assert f'href="{link}">Change the prompt and run again' in page
    assert '<button class="secondary" type="button" data-copy="prompt-text" hidden>' in page
    form = client.get(link.split("#")[0]).content.decode()
    assert ">black and white</textarea>" in form and f'action="/videos/{source.id}/remix"' in form
    box = form.split('<textarea name="prompt"', 1)[1].split(">", 1)[0]
    assert " autofocus" in box
    recipe = form.split('id="recipe"', 1)[1].split('<div class="field', 1)[0]
    assert "The engine will apply, in order:" in recipe and ">Black and white</li>" in recipe
    assert f'src="/videos/{source.id}/still?r=' in recipe  # and its still, with no request more


def test_use_as_source_opens_the_remix_form_of_that_video(client, ana, source):
    client.force_login(ana)
    page = client.get(source.get_absolute_url()).content.decode()
    link = f"/videos/{source.id}?remix=1#remix"
    assert f'href="{link}" data-use-as-source>Use as source' in page
    assert " autofocus" not in page.split('<textarea name="prompt"', 1)[1].split(">", 1)[0]
    opened = client.get(link.split("#")[0]).content.decode()
    box = opened.split('<textarea name="prompt"', 1)[1].split(">", 1)[0]
    assert " autofocus" in box and 'id="remix"' in opened
    assert "Type what should change" in opened  # nothing typed yet: nothing to preview


def test_a_cancelled_job_says_cancelled_not_failed(client, ana, source):
    cancelled = job(ana, status=Video.Status.IN_PROGRESS)
    client.force_login(ana)
    client.post(f"/videos/{cancelled.id}/cancel")
    page = client.get(cancelled.get_absolute_url()).content.decode()
    assert '<span class="badge badge-cancelled">Cancelled</span>' in page
    assert "badge-failed" not in page
    assert "Cancelled" in client.get(f"/videos/{cancelled.id}/status").content.decode()
    assert 'data-state="cancelled"' in client.get("/").content.decode()
