"""The admin as the operations console: find videos, and retry, cancel or delete them."""

import re
from pathlib import Path

import pytest
from django.utils import timezone

from remixer.models import Provider, Video
from remixer.tests.conftest import finished_video, job, video_admin_url
from remixer.tests.support.videos_api_server import VideosAPIServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def olga(client, django_user_model):  # type: ignore[no-untyped-def]
    operator = django_user_model.objects.create_superuser("olga", password="olga-password-1")
    client.force_login(operator)
    return operator


def act(client, action: str, *videos: Video, **more: str) -> str:  # type: ignore[no-untyped-def]
    response = client.post(
        "/admin/remixer/video/",
        {"action": action, "_selected_action": [video.pk for video in videos], **more},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_an_operator_finds_videos_by_prompt_and_status(
    client, olga, ana, django_assert_max_num_queries
):
    storm = job(ana, prompt="A storm over the ocean " + "at night " * 10)
    job(ana, prompt="City lights", status=Video.Status.FAILED)
    for index in range(20):
        job(ana, prompt=f"filler {index}")
    with django_assert_max_num_queries(12):  # rows bring their owner and provider along
        listing = client.get("/admin/remixer/video/").content.decode()
    assert "A storm over the ocean at night at night at night at night …" in listing
    found = client.get("/admin/remixer/video/?q=storm").content.decode()
    assert storm.pk in found and "City lights" not in found
    failed = client.get("/admin/remixer/video/?status__exact=failed").content.decode()
    assert "City lights" in failed and storm.pk not in failed


def test_what_the_job_asked_for_and_the_provider_owns_is_read_only(client, olga, ana):
    video = job(ana, status=Video.Status.IN_PROGRESS, progress=30, seconds="4")
    job_prompt = video.prompt
    posted = {"owner": ana.pk, "title": "Harbour", "status": "completed", "progress": 100}
    asked = {"prompt": "changed", "seconds": "5" * 500, "model": "x", "lease_owner": "me"}
    saved = client.post(video_admin_url(video), posted | asked | {"provider_video_id": "x"})
    assert saved.status_code == 302  # the form saved what an operator may change
    video.refresh_from_db()
    assert video.title == "Harbour"
    assert (video.status, video.progress, video.provider_video_id) == ("in_progress", 30, "")
    assert (video.prompt, video.seconds, video.model) == (job_prompt, "4", "remixer-local")
    assert video.lease_owner != "me"


def test_an_operator_retries_cancels_and_deletes(client, olga, ana, clip_path):
    failed = job(ana, status=Video.Status.FAILED, error_code="x", error_message="It broke.")
    running = job(ana, status=Video.Status.IN_PROGRESS, progress=30)
    done = finished_video(ana, clip_path)
    stored = Path(done.video_file.path)

    assert "Started 1 retry." in act(client, "retry_videos", failed, done)
    retry = Video.objects.get(retry_of=failed)
    assert retry.status == Video.Status.QUEUED and retry.prompt == failed.prompt

    assert "Cancelled 1 video." in act(client, "cancel_videos", running, done)
    running.refresh_from_db()
    assert running.status == Video.Status.FAILED
    assert running.error_message == "Cancelled by olga."

    assert "Are you sure" in act(client, "delete_selected", done)  # Django's confirmation
    assert Video.objects.filter(pk=done.pk).exists() and stored.exists()
    assert "Successfully deleted 1 video." in act(client, "delete_selected", done, post="yes")
    # It went to the Trash: out of the library, its row and files kept until the Trash is emptied.
    assert Video.objects.get(pk=done.pk).trashed_at is not None and stored.exists()
    assert not Video.objects.in_library().filter(pk=done.pk).exists()


def test_the_admin_adds_no_video_of_its_own(client, olga, ana):
    """Jobs start on the pages, /v1 and the admin's actions, through the one door: the admin
    offers no form that writes a video's row without its token, its checks or its task."""
    assert "/admin/remixer/video/add/" not in client.get("/admin/remixer/video/").content.decode()
    assert client.get("/admin/remixer/video/add/").status_code == 403
    posted = {"owner": ana.pk, "model": "remixer-local", "prompt": "x", "size": "1280x720"}
    assert client.post("/admin/remixer/video/add/", posted | {"seconds": "4"}).status_code == 403
    assert not Video.objects.exists()


def test_retrying_a_failed_import_or_a_trashed_video_is_refused_in_words(client, olga, ana):
    failed = job(ana, status=Video.Status.FAILED, error_code="x", error_message="It broke.")
    imported = job(ana, status=Video.Status.FAILED, kind=Video.Kind.IMPORT, error_code="x")
    trashed = job(ana, status=Video.Status.FAILED, error_code="x")
    Video.objects.filter(pk=trashed.pk).update(trashed_at=trashed.created_at)

    page = act(client, "retry_videos", failed, imported, trashed)
    assert "Started 1 retry." in page
    assert f"Not retried, {imported.pk}: A failed import cannot be retried" in page
    assert f"Not retried, {trashed.pk}: A video in the Trash cannot be retried" in page
    retried = Video.objects.filter(retry_of__isnull=False).values_list("retry_of", flat=True)
    assert list(retried) == [failed.pk]


def test_the_local_engine_s_page_leaves_out_the_http_fields_and_still_saves(client, olga):
    from remixer.models import Provider

    local = Provider.default()
    entry = local.catalog.get()
    page = client.get(f"/admin/remixer/provider/{local.pk}/change/").content.decode()
    assert 'name="base_url"' not in page and 'name="auth_header"' not in page
    assert 'name="name"' in page and "Creates and remixes on this machine." in page
    catalog = {
        "catalog-TOTAL_FORMS": "1",
        "catalog-INITIAL_FORMS": "1",
        "catalog-0-id": str(entry.pk),
        "catalog-0-provider": str(local.pk),
        "catalog-0-name": entry.name,
        "catalog-0-sizes": entry.sizes,
        "catalog-0-seconds": entry.seconds,
        "catalog-0-price_per_second": "0",
    }
    form = {"name": "This machine", "kind": "local", "enabled": "on", **catalog}
    saved = client.post(f"/admin/remixer/provider/{local.pk}/change/", form)
    assert saved.status_code == 302, saved.content.decode()
    assert Provider.objects.get(pk=local.pk).name == "This machine"
    http = client.get("/admin/remixer/provider/add/").content.decode()
    assert 'name="base_url"' in http  # a new provider may be either kind


def test_a_video_s_page_says_how_it_was_made(client, olga, ana):
    # An id the admin must quote: unquoted, its "_22" would read as '"'.
    video = job(ana, id="video_22" + "0" * 30, kind="remix", strategy="first_frame")
    page = client.get(video_admin_url(video)).content.decode()
    assert "Remixed from another video" in page and "From the source&#x27;s first frame" in page
    listing = client.get("/admin/remixer/video/?strategy__exact=first_frame").content.decode()
    assert video.pk in listing


@pytest.mark.parametrize(
    "server, level",
    [({}, "success"), ({"missing_routes": {"list": 404, "retrieve": 404}}, "error")],
)
def test_test_connection_shows_a_failure_as_an_error(client, olga, server, level):
    with VideosAPIServer("openai", framework="starlette", **server) as api:
        provider = Provider.objects.create(name="Far", base_url=api.url, api_key="test-key")
        response = client.post(
            "/admin/remixer/provider/",
            {"action": "test_connection", "_selected_action": [provider.pk]},
            follow=True,
        )
    messages = [(m.level_tag, m.message) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0][0] == level, messages


def test_the_list_names_each_video_on_one_line_with_its_whole_prompt_on_hover(client, olga, ana):
    long = "A lighthouse in a storm,\n  waves breaking over the rocks " * 4
    job(ana, prompt=long)
    titled = job(ana, prompt="x", title="Harbour at dawn", status=Video.Status.IN_PROGRESS)
    Video.objects.filter(pk=titled.pk).update(progress=40, trashed_at=titled.created_at)
    listing = client.get("/admin/remixer/video/").content.decode()
    cut = "A lighthouse in a storm, waves breaking over the rocks A li…"
    assert f'<span title="{" ".join(long.split())}">{cut}</span>' in listing
    assert '<span title="Harbour at dawn">Harbour at dawn</span>' in listing
    headers = ["Title or prompt", "Owner", "Status", "Kind", "Provider", "Created"]
    found = re.findall(r'<div class="text">(?:<a [^>]*>|<span>)([^<]+)<', listing)
    assert found == headers, found
    assert "In progress 40% (trashed)" in listing
    assert timezone.localtime(titled.created_at).strftime("%Y-%m-%d %H:%M") in listing


@pytest.mark.parametrize(
    ("status", "phase", "shown"),
    [
        ("queued", "", "Waiting for a worker"),
        ("in_progress", "rendering", "Rendering"),
        ("completed", "", "Finished"),
        ("failed", "submitted", "Finished"),
    ],
)
def test_a_video_s_page_says_its_phase_only_while_it_runs(client, olga, ana, status, phase, shown):
    video = job(ana, status=status, phase=phase)
    page = client.get(video_admin_url(video)).content.decode()
    found = re.search(r"<label>Phase:</label>\s*<div class=\"readonly\">([^<]*)</div>", page)
    assert found is not None and found[1] == shown
    assert 'name="phase"' not in page  # the workers' own, not an operator's to set
