"""What reaches /v1 at all: a key, not a session; the methods and routes there are; and ids
no video has, all answered in the error envelope."""

import pytest
from django.test import Client

from remixer.models import Video
from remixer.models.accounts import ApiKey
from remixer.tests.support.api_calls import assert_error, auth, create

pytestmark = pytest.mark.django_db


# Keys ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer   ", "Basic YW5hOmFuYS1wYXNzd29yZC0x", "Token rmx_x"],
)
def test_a_request_without_a_key_is_a_401(client, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    error = assert_error(client.get("/v1/videos", headers=headers), 401, None, "API key")
    assert error["code"] is None


def test_an_unknown_revoked_or_deactivated_key_is_a_401(client, ana, key):
    for wrong in ["rmx_" + "x" * 43, key + "x", key.upper()]:
        error = assert_error(client.get("/v1/videos", headers=auth(wrong)), 401)
        assert error["code"] == "invalid_api_key"
    ana.is_active = False
    ana.save()
    assert_error(client.get("/v1/videos", headers=auth(key)), 401)
    ana.is_active = True
    ana.save()
    assert client.get("/v1/videos", headers=auth(key)).status_code == 200
    ApiKey.objects.get().revoke()
    assert_error(client.get("/v1/videos", headers=auth(key)), 401)


def test_a_session_cookie_does_not_open_the_api(client, ana):
    client.force_login(ana)
    assert_error(client.get("/v1/videos"), 401)
    assert_error(client.post("/v1/videos", {"prompt": "x"}), 401)
    assert not Video.objects.exists()


def test_a_key_does_not_open_the_pages(client, key):
    for url in ["/", "/keys", "/videos/new", "/admin/"]:
        response = client.get(url, headers=auth(key))
        assert response.status_code == 302 and "login" in response["Location"], url


def test_the_api_needs_no_csrf_token_even_beside_a_session(ana, key):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    assert create(client, key).status_code == 200


# Routes and methods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("put", "/v1/videos", "GET, POST"),
        ("patch", "/v1/videos/video_1", "GET, DELETE"),
        ("get", "/v1/videos/video_1/remix", "POST"),
        ("delete", "/v1/videos/video_1/content", "GET, HEAD"),
    ],
)
def test_a_wrong_method_is_a_405_in_the_envelope(client, key, method, path, allowed):
    response = getattr(client, method)(path, headers=auth(key))
    assert_error(response, 405, None, allowed)
    assert response["Allow"] == allowed


@pytest.mark.parametrize(
    "path", ["/v1", "/v1/", "/v1/models", "/v1/videos/", "/v1/videos/x/y/z", "/v1/chat/completions"]
)
def test_an_unknown_route_under_v1_is_a_404_in_the_envelope(client, key, path):
    assert_error(client.get(path, headers=auth(key)), 404, None, "has no GET")
    assert_error(client.post(path, headers=auth(key)), 404)


def test_an_unknown_id_is_a_404_everywhere(client, key):
    for method, suffix in [("get", ""), ("delete", ""), ("post", "/remix"), ("get", "/content")]:
        response = getattr(client, method)(f"/v1/videos/video_nope{suffix}", headers=auth(key))
        assert_error(response, 404, None, "video_nope")


def test_an_id_no_video_can_have_is_a_404_too(client, key):
    for method, suffix in [("get", ""), ("delete", ""), ("post", "/remix"), ("get", "/content")]:
        response = getattr(client, method)(f"/v1/videos/video%00x{suffix}", headers=auth(key))
        assert_error(response, 404)
    assert_error(client.get("/v1/videos", {"after": "a\x00b"}, headers=auth(key)), 400, "after")
