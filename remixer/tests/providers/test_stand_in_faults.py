"""The Videos API stand-in's faults: 5xx bursts, rate limits, hangs, dropped connections,
malformed JSON and damaged downloads, each on the next few matching requests.

No database here: the server is plain HTTP. Time moves with `server.advance()`, not sleeps.
"""

import pytest
import requests

from remixer.tests.support.stand_in_client import call, create, finish, sdk

pytestmark = [
    pytest.mark.database_free,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]  # the SDK's Sora notice


def test_a_5xx_burst_then_recovery_and_the_sdk_retries_gets(server):
    video = create(server)
    server.fail_next(2, status=503, method="GET")
    assert call(server, "POST", "/videos", json={"prompt": "p"}).status_code == 200
    assert call(server, "GET", f"/videos/{video['id']}").status_code == 503
    assert sdk(server, max_retries=2).videos.retrieve(video["id"]).id == video["id"]
    assert server.count("GET", f"/v1/videos/{video['id']}") == 3


def test_a_5xx_can_come_after_the_create_was_made(server):
    server.fail_next(1, status=502, body={"oops": True}, path_prefix="/v1/videos", process=True)
    answer = call(server, "POST", "/videos", json={"prompt": "p"})
    assert (answer.status_code, answer.json()) == (502, {"oops": True})
    assert len(server.jobs) == 1


def test_rate_limits_say_when_to_come_back(server):
    server.rate_limit_next(1, retry_after=2)
    limited = call(server, "POST", "/videos", json={"prompt": "p"})
    assert limited.status_code == 429 and limited.headers["retry-after"] == "2"
    assert limited.json()["error"]["code"] == "rate_limit_exceeded" and server.jobs == {}
    assert call(server, "POST", "/videos", json={"prompt": "p"}).status_code == 200


def test_a_hanging_create_has_created_its_job_when_the_client_gives_up(server):
    server.hang_next(1, seconds=5)
    with pytest.raises(requests.Timeout):
        requests.post(
            server.url + "/videos",
            json={"prompt": "p"},
            headers={"Authorization": "Bearer test-key"},
            timeout=0.3,
        )
    assert len(server.jobs) == 1 and server.count("POST", "/v1/videos") == 1


def test_a_dropped_connection_after_create_leaves_the_job(server):
    server.drop_after_create_next(1)
    with pytest.raises(requests.ConnectionError):
        call(server, "POST", "/videos", json={"prompt": "p"})
    assert len(server.jobs) == 1
    assert call(server, "GET", "/videos").json()["data"][0]["prompt"] == "p"


def test_malformed_json_still_creates(server):
    server.malformed_json_next(1)
    answer = call(server, "POST", "/videos", json={"prompt": "p"})
    assert answer.status_code == 200
    with pytest.raises(ValueError):
        answer.json()
    assert len(server.jobs) == 1


def test_content_can_be_cut_short_mislabelled_or_corrupted(server):
    video = create(server)
    finish(server)
    path = f"/videos/{video['id']}/content"
    clean = call(server, "GET", path).content
    assert clean[4:8] == b"ftyp"

    server.set(truncate_content="body")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        call(server, "GET", path)
    server.set(truncate_content="file")
    short = call(server, "GET", path)
    assert len(short.content) == len(clean) // 2 == int(short.headers["content-length"])

    server.set(truncate_content=None, mislabel_content=True)
    assert call(server, "GET", path).headers["content-type"] == "text/plain"
    thumb = call(server, "GET", path, params={"variant": "thumbnail"})
    assert thumb.headers["content-type"] == "video/mp4" and thumb.content[8:12] == b"WEBP"

    server.set(mislabel_content=False, corrupt_content=True)
    corrupt = call(server, "GET", path).content
    assert len(corrupt) == len(clean) and corrupt != clean and corrupt[4:8] == b"ftyp"
    server.set(corrupt_content="head")
    assert call(server, "GET", path).content[4:8] != b"ftyp"
