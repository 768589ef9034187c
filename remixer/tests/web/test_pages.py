"""The pages a creator sees: library, video page, the live status fragment, actions."""

import uuid

import pytest
from django_tasks_db.models import DBTaskResult

from remixer.models import Video
from remixer.tests.conftest import job

pytestmark = pytest.mark.django_db


def test_every_page_needs_a_login(client, source):
    for url in [
        "/",
        "/remix",
        "/videos/new",
        f"/videos/{source.id}",
        f"/videos/{source.id}/status",
        f"/videos/{source.id}/content",
        f"/videos/{source.id}/preview",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/login?next={url}"


def test_an_htmx_poll_from_an_expired_session_redirects_the_page(client, source):
    response = client.get(f"/videos/{source.id}/status", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/login")


def test_a_running_job_polls_and_a_finished_one_does_not(client, ana, source):
    running = job(ana, status=Video.Status.IN_PROGRESS, progress=12)
    client.force_login(ana)
    fragment = client.get(f"/videos/{running.id}/status").content.decode()
    assert (
        'hx-trigger="every 1s"' in fragment and "<progress" in fragment and 'value="12"' in fragment
    )
    assert "<html" not in fragment
    finished = client.get(f"/videos/{source.id}/status", headers={"HX-Request": "true"})
    html = finished.content.decode()
    assert "every 1s" not in html and "<video" in html and "autoplay" in html
    assert 'id="status"' in html and 'hx-swap-oob="true"' in html
    assert "Remix this video" in html and "csrfmiddlewaretoken" in html
    assert finished["HX-Reswap"] == "none"


def test_polling_and_the_library_stay_within_their_query_budgets(
    client, ana, django_assert_max_num_queries
):
    running = job(ana, status=Video.Status.IN_PROGRESS, progress=12)
    for index in range(30):
        job(ana, prompt=f"job {index}")
    client.force_login(ana)
    with django_assert_max_num_queries(3):
        client.get(f"/videos/{running.id}/status")
    with django_assert_max_num_queries(5):
        client.get("/?page=2")


def test_a_failed_job_says_why_and_offers_a_retry_to_its_owner(client, ana, ben):
    failed = job(
        ana,
        status=Video.Status.FAILED,
        error_code="x",
        error_message="The source video was deleted.",
    )
    client.force_login(ana)
    page = client.get(failed.get_absolute_url()).content.decode()
    assert "The source video was deleted." in page and "Retry" in page
    live = client.get(f"/videos/{failed.id}/status", headers={"HX-Request": "true"})
    assert "The source video was deleted." in live.content.decode()
    assert "Retry" in live.content.decode()
    client.force_login(ben)
    assert "Retry" not in client.get(failed.get_absolute_url()).content.decode()
    live = client.get(f"/videos/{failed.id}/status", headers={"HX-Request": "true"})
    assert "The source video was deleted." in live.content.decode()
    assert "Retry" not in live.content.decode()


def test_the_video_page_shows_the_object_and_the_remix_form(client, ben, source):
    remix = job(ben, remixed_from=source, remixed_from_video_id=source.id, prompt="sepia please")
    client.force_login(ben)
    page = client.get(source.get_absolute_url()).content.decode()
    assert source.id in page and "Remix this video" in page and "procedural, not generative" in page
    assert remix.get_absolute_url() in page  # listed among its remixes
    assert "Delete" not in page  # ben does not own it


def test_the_recipe_preview_follows_the_prompt(client, ana):
    client.force_login(ana)
    preview = client.get("/recipe", {"prompt": "sepia, mirror, 'Day one'"}).content.decode()
    assert "Sepia" in preview and "Mirror" in preview and "Day one" in preview
    refused = client.get("/recipe", {"prompt": "make it nicer"}).content.decode()
    assert "Try: black and white, slower." in refused and "understands" not in refused


def test_html_in_a_prompt_is_shown_as_text(client, ana):
    sneaky = job(ana, prompt='<img src=x onerror=alert(1)> <div hx-get="/admin/">')
    client.force_login(ana)
    for url in ["/", sneaky.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert "<img src=x" not in page and '<div hx-get="/admin/">' not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_owner_can_cancel_a_running_job(client, ana):
    running = job(ana, status=Video.Status.IN_PROGRESS, progress=50)
    client.force_login(ana)
    client.post(f"/videos/{running.id}/cancel")
    running.refresh_from_db()
    assert running.status == "failed" and running.error_message == "Cancelled by ana."


def test_a_teammate_cannot_cancel_retry_or_delete(client, ana, ben, source):
    running = job(ana, status=Video.Status.IN_PROGRESS)
    failed = job(ana, status=Video.Status.FAILED, error_message="boom")
    client.force_login(ben)
    assert client.post(f"/videos/{running.id}/cancel").status_code == 403
    assert client.post(f"/videos/{failed.id}/retry").status_code == 403
    assert client.post(f"/videos/{source.id}/delete").status_code == 403
    assert Video.objects.count() == 3 and running.status == "in_progress"
    assert not DBTaskResult.objects.exists()


def test_staff_can_cancel_anyones_job(client, ana, staff):
    running = job(ana, status=Video.Status.QUEUED)
    client.force_login(staff)
    client.post(f"/videos/{running.id}/cancel")
    running.refresh_from_db()
    assert running.error_message == "Cancelled by sam."


def test_retry_makes_a_new_video_and_leaves_the_failed_one(client, ana, source):
    failed = job(
        ana,
        status=Video.Status.FAILED,
        error_message="boom",
        remixed_from=source,
        remixed_from_video_id=source.id,
        recipe={"effects": ["sepia"], "caption": None},
    )
    client.force_login(ana)
    response = client.post(f"/videos/{failed.id}/retry", {"form_token": str(uuid.uuid4())})
    retry = Video.objects.get(retry_of=failed)
    assert response["Location"] == retry.get_absolute_url()
    assert (retry.status, retry.prompt, retry.remixed_from, retry.recipe) == (
        "queued",
        failed.prompt,
        source,
        failed.recipe,
    )
    failed.refresh_from_db()
    assert failed.status == "failed" and failed.error_message == "boom"
    assert DBTaskResult.objects.count() == 1


def test_mutations_are_post_only(client, ana, source):
    client.force_login(ana)
    for action in ["remix", "retry", "cancel", "restore"]:
        assert client.get(f"/videos/{source.id}/{action}").status_code == 405
    confirmation = client.get(f"/videos/{source.id}/delete")  # asks; only its POST deletes
    assert "Move “calm blue waves” to the Trash?" in confirmation.content.decode()
    assert Video.objects.in_library().filter(pk=source.pk).exists()


def test_deleting_a_source_keeps_its_remixes_and_their_files(client, ana, source, clip_path):
    from remixer.tests.conftest import finished_video

    remix = finished_video(ana, clip_path, remixed_from=source, remixed_from_video_id=source.id)
    client.force_login(ana)
    client.post(f"/videos/{source.id}/delete")
    remix.refresh_from_db()
    assert not Video.objects.in_library().filter(pk=source.pk).exists()
    assert remix.remixed_from_video_id == source.id and remix.remixed_from_id == source.id
    assert remix.video_file.storage.exists(remix.video_file.name)
    page = client.get(remix.get_absolute_url()).content.decode()
    assert "(deleted)" in page and source.id in page


def test_unknown_ids_are_404(client, ana):
    client.force_login(ana)
    for url in [
        "/videos/video_nope",
        "/videos/video_nope.json",
        "/videos/video_nope/status",
        "/videos/video_nope/content",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post("/videos/video_nope/remix", {"prompt": "sepia"}).status_code == 404
