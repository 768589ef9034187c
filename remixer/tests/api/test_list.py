"""remixer's /v1 list: the team's library, newest first, paged with `after`, the same library
the pages show."""

import datetime as dt

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remixer.tests.support.api_calls import assert_error, auth, create, job, page_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(ana, ben) -> list[str]:
    """Five videos a minute apart, oldest first, by two people."""
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return [
        job(ana if i % 2 else ben, created_at=start + dt.timedelta(minutes=i)).pk for i in range(5)
    ]


def listing(client, key, **params) -> dict:
    response = client.get("/v1/videos", params, headers=auth(key))
    assert response.status_code == 200, response.content
    return response.json()


def test_the_list_is_the_team_library_newest_first(client, ana, key, five):
    answer = listing(client, key)
    assert [v["id"] for v in answer["data"]] == five[::-1]
    assert answer["data"][0] == page_json(client, ana, five[-1])
    assert (answer["object"], answer["first_id"], answer["last_id"], answer["has_more"]) == (
        "list",
        five[-1],
        five[0],
        False,
    )


@pytest.mark.parametrize("order", ["desc", "asc"])
def test_the_list_pages_with_after(client, key, five, order):
    expected = five[::-1] if order == "desc" else five
    seen, after, pages = [], None, 0
    while True:
        answer = listing(client, key, limit=2, order=order, **({"after": after} if after else {}))
        seen += [v["id"] for v in answer["data"]]
        pages += 1
        if not answer["has_more"]:
            break
        after = answer["last_id"]
    assert (seen, pages) == (expected, 3)


def test_videos_made_in_the_same_instant_page_by_id(client, ana, key):
    moment = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    ids = sorted(job(ana, created_at=moment).pk for _ in range(4))
    first = listing(client, key, limit=2, order="asc")
    second = listing(client, key, limit=2, order="asc", after=first["last_id"])
    assert [v["id"] for v in first["data"] + second["data"]] == ids


def test_a_limit_of_zero_answers_an_empty_page(client, key, five):
    answer = listing(client, key, limit=0)
    assert answer == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": True,
    }


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"limit": "-1"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"order": "newest"}, "order"),
        ({"after": "video_gone"}, "after"),
    ],
)
def test_bad_list_parameters_are_a_400(client, key, params, param):
    assert_error(client.get("/v1/videos", params, headers=auth(key)), 400, param)


def test_a_video_made_through_the_api_is_in_the_library_page(client, ben, key):
    made = create(client, key, prompt="a lighthouse at dusk").json()
    session = Client()
    session.force_login(ben)
    page = session.get("/").content.decode()
    assert made["id"] in page and "a lighthouse at dusk" in page


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(["limit", "order", "after", "x"]),
        st.text(max_size=12) | st.sampled_from(["\x00", "5", "asc", "video_1"]),
    )
)
def test_any_list_query_gets_a_page_or_a_400(client, key, params):
    response = client.get("/v1/videos", params, headers=auth(key))
    assert response.status_code in (200, 400), response.content
