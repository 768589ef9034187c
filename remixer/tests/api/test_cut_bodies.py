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
