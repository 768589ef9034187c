"""Titles: read from an imported file's name, found by the search, changed by the owner,
and naming the downloads."""

import io
import uuid

import pytest

from remixer import tasks
from remixer.lib.words import file_slug, title_from_file_name
from remixer.models import Video
from remixer.models.accounts import ApiKey
from remixer.tests.conftest import finished_video

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("calm_blue-waves at dusk.MP4", "calm blue waves at dusk"),
        ("C:\\Users\\ana\\Storm.at.sea__final.mp4", "Storm at sea final"),
        ("no-extension", "no extension"),
        (".mp4", ""),
    ],
)
def test_a_title_is_read_from_a_file_name(name, title):
    assert title_from_file_name(name) == title


def test_an_imported_video_is_titled_after_its_file_and_found_by_it(client, ana, clip_path):
    client.force_login(ana)
    upload = io.BytesIO(clip_path.read_bytes())
    upload.name = "calm_blue-waves at dusk.MP4"
    response = client.post("/videos/import", {"video": upload, "form_token": str(uuid.uuid4())})
    video = Video.objects.get()
    assert response["Location"] == f"/videos/{video.id}"
    tasks.import_video.call(video.pk)
    video.refresh_from_db()
    assert (video.title, video.prompt, video.status) == (
        "calm blue waves at dusk",
        None,
        "completed",
    )
    found = client.get("/?q=waves+at+dusk").content.decode()
    assert f'id="card-{video.id}"' in found
    assert '<span class="prompt">calm blue waves at dusk</span>' in found  # the card's name
    assert f'id="card-{video.id}"' not in client.get("/?q=storm").content.decode()
    download = client.get(f"/videos/{video.id}/content")
    assert download["Content-Disposition"] == 'inline; filename="calm-blue-waves-at-dusk.mp4"'


def test_the_owner_changes_the_title_in_place(client, ana, ben, source):
    client.force_login(ana)
    page = client.get(source.get_absolute_url()).content.decode()
    assert f'hx-post="/videos/{source.id}/title" hx-target="#video-heading"' in page
    assert '<h1 class="prompt-title" id="prompt-text">calm blue waves</h1>' in page
    answer = client.post(
        f"/videos/{source.id}/title", {"title": "  Dusk, take two "}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert answer.lstrip().startswith('<div class="video-heading" id="video-heading">')
    assert '<h1 class="prompt-title" id="video-title">Dusk, take two</h1>' in answer
    assert '<p class="prompt-text" id="prompt-text">calm blue waves</p>' in answer
    source.refresh_from_db()
    assert source.title == "Dusk, take two"
    assert (
        "<title>Dusk, take two · remixer</title>"
        in client.get(source.get_absolute_url()).content.decode()
    )
    download = client.get(f"/videos/{source.id}/content?variant=video")
    assert 'filename="dusk-take-two.mp4"' in download["Content-Disposition"]

    too_long = client.post(
        f"/videos/{source.id}/title", {"title": "x" * 201}, HTTP_HX_REQUEST="true"
    )
    assert "A title has at most 200 characters." in too_long.content.decode()
    plain = client.post(f"/videos/{source.id}/title", {"title": "\x00"}, follow=True)
    assert "The text is not valid" in plain.content.decode()
    source.refresh_from_db()
    assert source.title == "Dusk, take two"  # bad input changes nothing

    client.force_login(ben)
    assert "Edit the title" not in client.get(source.get_absolute_url()).content.decode()
    refused = client.post(f"/videos/{source.id}/title", {"title": "mine now"})
    assert refused.status_code == 403
    source.refresh_from_db()
    assert source.title == "Dusk, take two"

    client.force_login(ana)  # left empty, the prompt names the video again
    assert client.post(f"/videos/{source.id}/title", {"title": ""}).status_code == 302
    source.refresh_from_db()
    assert source.title == ""


def test_downloads_are_named_after_the_title_or_prompt_on_both_doors(client, ana, clip_path):
    video = finished_video(ana, clip_path, prompt="Calm blue waves, at dusk!")
    client.force_login(ana)
    named = client.get(f"/videos/{video.id}/content")["Content-Disposition"]
    assert named == 'inline; filename="calm-blue-waves-at-dusk.mp4"'
    key = ApiKey.issue(user=ana, name="tests")[1]
    api = client.get(f"/v1/videos/{video.id}/content", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 200 and api["Content-Type"] == "video/mp4"
    assert b"".join(api.streaming_content)[4:8] == b"ftyp"

    unnamed = finished_video(ana, clip_path, prompt="日本の海")  # nothing a file name can use
    header = client.get(f"/videos/{unnamed.id}/content")["Content-Disposition"]
    assert header == f'inline; filename="{unnamed.id}.mp4"'
    assert len(file_slug("waves " * 40)) <= 80 and not file_slug("waves " * 40).endswith("-")
