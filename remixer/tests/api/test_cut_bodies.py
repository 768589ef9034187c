"""A /v1 body that ends before its Content-Length is refused, never taken as whole: over a
real socket to remixer as it is served (gunicorn), a 400 in the error envelope, nothing made.
A body refused before it is read leaves its keep-alive connection usable for the next request."""

import http.client
import json

import requests

from remixer.models import LOCAL_MODEL, Video
from remixer.models.accounts import ApiKey
from remixer.tests.support.cut_bodies import (
    MULTIPART,
    exchange,
    kept_connection,
    multipart,
    send_cut,
    status_of,
    upload_body,
)

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

# Bodies of 200 KB to 3 MB: past the 64 KB gunicorn reads of an unread body before it closes.
SIZES = [200_000 + i * 147_000 for i in range(20)]
WRONG_KEY = {"Authorization": "Bearer rmx_wrong"}
# The ways /v1 refuses a body before reading it: (path, with the right key, status).
REFUSALS = [
    ("/v1/videos/characters", True, 404),  # remixer keeps no characters
    (f"/v1/videos/video_{'0' * 32}/remix", True, 404),  # a remix of a video there is not
    ("/v1/videos", False, 401),  # a key there is not
]


def test_a_body_refused_unread_leaves_the_connection_usable(server, ana):
    """Keep-alive clients without retries send the next request on the same connection: the
    refused body is read to its end before the answer, so no next request finds it closed."""
    good = {"Authorization": f"Bearer {ApiKey.issue(user=ana, name='tests')[1]}"}
    failures, answered = [], []
    with requests.Session() as session:  # requests retries nothing unless told to
        for i, size in enumerate(SIZES):
            path, keyed, status = REFUSALS[i % 3]
            headers = {**(good if keyed else WRONG_KEY), "Content-Type": MULTIPART}
            try:
                refused = session.post(
                    server + path, upload_body(size), headers=headers, timeout=30
                )
                listed = session.get(f"{server}/v1/videos", headers=good, timeout=30)
            except requests.ConnectionError as error:
                failures.append(f"requests, {size} bytes to {path}: {error}")
                continue
            answered.append(
                (refused.status_code, refused.json()["error"]["type"], listed.status_code)
            )
            assert answered[-1] == (status, "invalid_request_error", 200), refused.text
    connection = kept_connection(server)
    for i, size in enumerate(SIZES[::4]):
        path, keyed, status = REFUSALS[i % 3]
        headers = {**(good if keyed else WRONG_KEY), "Content-Type": MULTIPART}
        try:
            refused_status = exchange(connection, "POST", path, headers, upload_body(size))
            listed_status = exchange(connection, "GET", "/v1/videos", good)
        except (http.client.HTTPException, OSError) as error:
            failures.append(f"http.client, {size} bytes to {path}: {error!r}")
            connection.close()  # its next request opens a new one
            continue
        assert (refused_status, listed_status) == (status, 200)
    connection.close()
    assert failures == [], f"{len(failures)} connection errors:\n" + "\n".join(failures)
