"""The library and the remix picker: cards, search and filters, live badges, previews."""

import pytest

from remixer.models import Video
from remixer.tests.conftest import job

pytestmark = pytest.mark.django_db


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
    with django_assert_max_num_queries(6):  # and the ComfyUI workflows a remix may go through
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
    assert f'&amp;id={running.id}" hx-trigger="every 2s"' in page  # the library: test_library_live

    with django_assert_max_num_queries(3):
        live = client.get(f"/videos/live?id={running.id}").content.decode()
    assert f'<span id="badge-{running.id}" hx-swap-oob="true" data-job=' in live
    assert "In progress 40%" in live and "<li" not in live
    assert f"/videos/live?id={running.id}" in live  # polled on

    Video.objects.filter(pk=running.pk).update(status=Video.Status.COMPLETED, progress=100)
    live = client.get(f"/videos/live?id={running.id}").content.decode()
    assert f'<li class="card" id="card-{running.id}" hx-swap-oob="true">' in live
    assert 'class="badge badge-completed"' in live
    assert "every 2s" not in live  # nothing left to follow: the polling stops

    running.delete()
    assert "every 2s" not in client.get("/").content.decode()  # now every 10 s, for new videos


def test_a_video_page_keeps_its_running_remixes_live(client, ana, source):
    remix = job(ana, remixed_from=source, remixed_from_video_id=source.id, progress=5)
    client.force_login(ana)
    page = client.get(source.get_absolute_url()).content.decode()
    assert f'hx-get="/videos/live?id={remix.id}" hx-trigger="every 2s"' in page
    Video.objects.filter(pk=remix.pk).update(status=Video.Status.COMPLETED, progress=100)
    assert "every 2s" not in client.get(source.get_absolute_url()).content.decode()


def test_the_library_is_paginated(client, ana):
    for index in range(30):
        job(ana, prompt=f"job number {index}")
    client.force_login(ana)
    first, second = client.get("/").content.decode(), client.get("/?page=2").content.decode()
    assert "job number 29" in first and "job number 5" not in first
    assert "job number 5" in second and "Page 2 of 2" in second
    # A page number not written in ASCII digits is the first page, never another one.
    for other_digits in ("\u0662", "\u00b2", "2.0", "-2", "99999999999999999999999"):
        assert "Page 1 of 2" in client.get("/", {"page": other_digits}).content.decode()
