"""The pages a creator sees: library, video page, the live status fragment, actions."""

import pytest
from django_tasks_db.models import DBTaskResult

from remixer.models import Video
from remixer.tests.conftest import video_row

pytestmark = pytest.mark.django_db


def job(owner, **fields) -> Video:
    return video_row(
        owner, **{"prompt": "a running job", "size": "720x1280", "seconds": "8", **fields}
    )


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


def test_the_library_shows_videos_newest_first_with_their_badges(client, ana, ben, source):
    running = job(ben, status=Video.Status.IN_PROGRESS, progress=37)
    client.force_login(ana)
    page = client.get("/").content.decode()
    assert page.index(running.get_absolute_url()) < page.index(source.get_absolute_url())
    assert "In progress 37%" in page and "Completed" in page
    assert "ben · remixer-local · 720x1280 · 8 s" in page


def test_a_card_names_the_video_its_remix_came_from(
    client, ana, ben, source, django_assert_max_num_queries
):
    source.prompt = "Ocean waves at golden sunset"
    source.save(update_fields=["prompt"])
    job(ben, remixed_from=source, remixed_from_video_id=source.id)
    job(ben, remixed_from_video_id="video_gone")  # its source was deleted
    client.force_login(ana)
    with django_assert_max_num_queries(5):
        page = client.get("/").content.decode()
    assert "remix of “Ocean waves at golden sunset”" in page
    assert "remix of a deleted video" in page
    with django_assert_max_num_queries(5):
        page = client.get(source.get_absolute_url()).content.decode()
    assert "remix of “Ocean waves at golden sunset”" in page  # among its remixes


def test_the_library_finds_videos_by_prompt_status_and_owner(
    client, ana, ben, django_assert_max_num_queries
):
    waves = job(ana, prompt="Ocean waves at dusk", status=Video.Status.COMPLETED)
    storm = job(ben, prompt="A storm over the OCEAN", status=Video.Status.FAILED)
    city = job(ben, prompt="City lights", status=Video.Status.COMPLETED)
    client.force_login(ana)

    def shown(query: str) -> set[str]:
        with django_assert_max_num_queries(5):
            page = client.get(f"/?{query}").content.decode()
        return {video.id for video in (waves, storm, city) if video.get_absolute_url() in page}

    assert shown("q=ocean") == {waves.id, storm.id}
    assert shown("q=ocean&status=failed") == {storm.id}
    assert shown("status=completed") == {waves.id, city.id}
    assert shown("q=ocean&mine=on") == {waves.id}
    assert shown("q=nothing+like+it") == set()
    assert "No videos match this search." in client.get("/?q=nothing").content.decode()
    assert "2 videos found." in client.get("/?q=ocean").content.decode()


def test_a_bad_filter_is_named_and_filters_nothing(client, ana):
    video = job(ana)
    client.force_login(ana)
    response = client.get("/?status=done&q=" + "x" * 201)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is no status called done." in page
    assert "Search for at most 200 characters." in page
    assert video.get_absolute_url() in page


def test_a_search_typed_in_the_page_gets_the_results_alone(client, ana):
    for index in range(30):
        job(ana, prompt=f"ocean take {index}")
    job(ana, prompt="city")
    client.force_login(ana)
    response = client.get("/?q=ocean", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"') and "<html" not in html
    assert "ocean take 29" in html and "city" not in html
    assert "HX-Request" in response["Vary"]
    assert 'href="?q=ocean&amp;page=2"' in html  # the next page keeps the search
    second = client.get("/?q=ocean&page=2").content.decode()
    assert "ocean take 5" in second and "Page 2 of 2" in second
    back = client.get(
        "/?q=ocean", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in back.content.decode()  # the back button gets the whole page


def test_the_picker_searches_completed_videos_only(client, ana):
    done = job(ana, prompt="ocean, finished", status=Video.Status.COMPLETED)
    running = job(ana, prompt="ocean, running", status=Video.Status.IN_PROGRESS)
    client.force_login(ana)
    page = client.get("/remix?q=ocean").content.decode()
    assert done.get_absolute_url() in page and running.get_absolute_url() not in page
    assert 'name="status"' not in page and 'name="q"' in page


def test_a_card_asks_for_its_moving_preview_only_when_it_has_one(client, ana, source):
    client.force_login(ana)
    assert "/preview" not in client.get("/").content.decode()
    assert client.get(f"/videos/{source.id}/preview").status_code == 204
    source.spritesheet_file.name = f"videos/{source.id}/spritesheet.jpg"
    source.save(update_fields=["spritesheet_file"])
    card = client.get("/").content.decode()
    assert f'hx-get="/videos/{source.id}/preview"' in card
    preview = client.get(f"/videos/{source.id}/preview").content.decode()
    assert 'viewBox="0 0 1280 720"' in preview  # one frame shows at a time
    assert 'width="6400" height="3600"' in preview  # of the 5 x 5 sheet
    assert f"/videos/{source.id}/content?variant=spritesheet" in preview


def test_a_page_of_cards_keeps_its_running_jobs_live(
    client, ana, source, django_assert_max_num_queries
):
    running = job(ana, status=Video.Status.IN_PROGRESS, progress=40)
    client.force_login(ana)
    page = client.get("/").content.decode()
    assert f'hx-get="/videos/live?id={running.id}" hx-trigger="every 2s"' in page

    with django_assert_max_num_queries(3):
        live = client.get(f"/videos/live?id={running.id}").content.decode()
    assert f'<span id="badge-{running.id}" hx-swap-oob="true">' in live
    assert "In progress 40%" in live and "<li" not in live
    assert f"/videos/live?id={running.id}" in live  # polled on

    Video.objects.filter(pk=running.pk).update(status=Video.Status.COMPLETED, progress=100)
    live = client.get(f"/videos/live?id={running.id}").content.decode()
    assert f'<li class="card" id="card-{running.id}" hx-swap-oob="true">' in live
    assert 'class="badge badge-completed"' in live
    assert "every 2s" not in live  # nothing left to follow: the polling stops

    running.delete()
    assert "every 2s" not in client.get("/").content.decode()


def test_the_library_is_paginated(client, ana):
    for index in range(30):
        job(ana, prompt=f"job number {index}")
    client.force_login(ana)
    first, second = client.get("/").content.decode(), client.get("/?page=2").content.decode()
    assert "job number 29" in first and "job number 5" not in first
    assert "job number 5" in second and "Page 2 of 2" in second


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
    assert "The local engine understands" in refused


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
    response = client.post(f"/videos/{failed.id}/retry")
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
    for action in ["remix", "retry", "cancel", "delete"]:
        assert client.get(f"/videos/{source.id}/{action}").status_code == 405


def test_deleting_a_source_keeps_its_remixes_and_their_files(client, ana, source, clip_path):
    from remixer.tests.conftest import finished_video

    remix = finished_video(ana, clip_path, remixed_from=source, remixed_from_video_id=source.id)
    client.force_login(ana)
    client.post(f"/videos/{source.id}/delete")
    remix.refresh_from_db()
    assert not Video.objects.filter(pk=source.pk).exists()
    assert remix.remixed_from_video_id == source.id and remix.remixed_from is None
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
