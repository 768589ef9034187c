"""A /v1 body that ends before its Content-Length is refused, never taken as whole: over a
real socket to remixer as it is served (gunicorn), a 400 in the error envelope, nothing made."""

import json

import requests

from remixer.models import LOCAL_MODEL, Video
from remixer.models.accounts import ApiKey
from remixer.tests.support.cut_bodies import MULTIPART, multipart, send_cut, status_of

NEW_VIDEO = {"prompt": "calm blue waves", "model": LOCAL_MODEL, "size": "1280x720", "seconds": "4"}


def test_a_cut_body_is_a_400_in_the_envelope_and_makes_nothing(server, ana):
    auth = {"Authorization": f"Bearer {ApiKey.issue(user=ana, name='tests')[1]}"}
    # What arrives is a whole JSON object, or the form's fields: only the length says more.
    as_json = json.dumps(NEW_VIDEO).encode()
    as_form = multipart({**NEW_VIDEO, "pad": "x" * 900})
    bodies = [
        ("application/json", as_json + b" " * 900, len(as_json)),
        (MULTIPART, as_form, as_form.index(b'name="pad"')),
    ]
    for content_type, body, cut in bodies:
        answer = send_cut(server, "/v1/videos", {**auth, "Content-Type": content_type}, body, cut)
        assert status_of(answer) == 400, answer
        error = json.loads(answer.partition(b"\r\n\r\n")[2])["error"]
        assert error["type"] == "invalid_request_error", error
        assert error["code"] == "incomplete_body", error
        assert f"ended after {cut} of the {len(body)} bytes" in error["message"], error
    assert not Video.objects.exists()
    for content_type, body, _ in bodies:  # the same bodies sent whole are taken
        headers = {**auth, "Content-Type": content_type}
        whole = requests.post(f"{server}/v1/videos", data=body, headers=headers, timeout=10)
        assert whole.status_code == 200, whole.text
    assert Video.objects.count() == 2


# Refused without being read ---------------------------------------------------------------------

# Bodies of 200 KB to 3 MB: past what gunicorn drains by itself before the next request.
REFUSED_SIZES = [200_000 + i * 147_000 for i in range(20)]


def refused_upload(server: str, session: requests.Session, good: dict, i: int, size: int):
    """One of the three ways remixer refuses a body it has no use for, before reading it."""
    files = {"input_reference": ("first-frame.png", b"\x89PNG" + b"\x00" * size, "image/png")}
    fields = {"prompt": "calm blue waves"}
    way = i % 3
    if way == 0:  # remixer keeps no characters
        url, headers, status = f"{server}/v1/videos/characters", good, 404
    elif way == 1:  # a remix of a video there is not
        url, headers, status = f"{server}/v1/videos/video_{'0' * 32}/remix", good, 404
    else:  # a key there is not
        url, headers, status = f"{server}/v1/videos", {"Authorization": "Bearer sk-wrong"}, 401
    answer = session.post(url, data=fields, files=files, headers=headers, timeout=30)
    return answer, status


def test_a_body_refused_unread_leaves_the_connection_usable(server, ana):
    """A keep-alive client without retries sends each next request on the same connection:
    the refused body is read to its end first, so none of them finds it closed."""
    good = {"Authorization": f"Bearer {ApiKey.issue(user=ana, name='tests')[1]}"}
    session = requests.Session()  # requests retries nothing unless told to
    failures: list[str] = []
    for i, size in enumerate(REFUSED_SIZES):
        try:
            refused, status = refused_upload(server, session, good, i, size)
            assert refused.status_code == status, refused.text
            assert refused.json()["error"]["type"] == "invalid_request_error"
            listed = session.get(f"{server}/v1/videos", headers=good, timeout=30)
            assert listed.status_code == 200, listed.text
        except requests.ConnectionError as error:
            failures.append(f"{size} bytes: {error}")
    session.close()
    assert failures == [], f"{len(failures)} connection errors in 20:\n" + "\n".join(failures)
