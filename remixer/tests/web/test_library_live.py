"""The library's first page follows its jobs and shows new videos without a reload."""

import html
import re

import pytest

from remixer.models import Video
from remixer.tests.conftest import job

pytestmark = pytest.mark.django_db


def poll_url(page: str) -> tuple[str, str]:
    """The live poller's URL and interval, as the page (or the last answer) left them."""
    found = re.search(r'<div id="live"[^>]*hx-get="(/live\?[^"]+)" hx-trigger="every (\w+)"', page)
    assert found, page
    return html.unescape(found[1]), found[2]


def test_a_quiet_library_asks_every_10_s_and_hears_nothing_until_a_teammate_makes_a_video(
    client, ana, ben, source, django_assert_max_num_queries
):
    client.force_login(ana)
    url, every = poll_url(client.get("/").content.decode())
    assert every == "10s"
    with django_assert_max_num_queries(3):
        quiet = client.get(url)
    assert quiet.status_code == 204 and quiet.content == b""

    teammates = job(ben, prompt="a storm at sea, by ben")
    with django_assert_max_num_queries(3):
        answer = client.get(url)
    fragment = answer.content.decode()
    assert answer.status_code == 200
    assert '<ul hx-swap-oob="afterbegin:#results .grid">' in fragment
    assert f'id="card-{teammates.id}"' in fragment and "a storm at sea, by ben" in fragment
    assert f'id="card-{source.id}"' not in fragment  # only what is new
    url, every = poll_url(fragment)
    assert every == "2s" and f"id={teammates.id}" in url  # it runs: followed closely now
    assert client.get(url).status_code == 204

    Video.objects.filter(pk=teammates.pk).update(status=Video.Status.IN_PROGRESS, progress=55)
    fragment = client.get(url).content.decode()
    assert f'<span id="badge-{teammates.id}" hx-swap-oob="true"' in fragment
    assert "In progress 55%" in fragment and "afterbegin" not in fragment
    url, _ = poll_url(fragment)
    Video.objects.filter(pk=teammates.pk).update(status=Video.Status.COMPLETED, progress=100)
    fragment = client.get(url).content.decode()
    assert f'<li class="card" id="card-{teammates.id}" hx-swap-oob="true">' in fragment
    url, every = poll_url(fragment)
    assert every == "10s" and "id=" not in url
    assert client.get(url).status_code == 204


def test_only_the_first_unfiltered_page_watches_for_new_videos(client, ana):
    for index in range(30):
        job(ana, prompt=f"job {index}", status=Video.Status.COMPLETED)
    client.force_login(ana)
    assert "/live?" in client.get("/").content.decode()
    assert "/live?" not in client.get("/?page=2").content.decode()
    assert "/live?" not in client.get("/?q=job").content.decode()
    assert "/live?" not in client.get("/remix").content.decode()


def test_an_empty_library_reloads_for_its_first_video(client, ana, ben):
    client.force_login(ana)
    url, _ = poll_url(client.get("/").content.decode())
    assert "since=start" in url and client.get(url).status_code == 204
    job(ben)
    answer = client.get(url)
    assert answer.status_code == 204 and answer["HX-Refresh"] == "true"


def test_a_bad_poll_is_refused(client, ana):
    client.force_login(ana)
    assert client.get("/live?since=yesterday").status_code == 400
    assert client.get("/live?since=start&id=../../x").status_code == 200
