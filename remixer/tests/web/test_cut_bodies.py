"""A page's form whose body ends before its Content-Length is refused (400), never taken as
whole, sent as a plain form or as htmx sends it: over a real socket to remixer as served. A form
refused before it is read leaves its keep-alive connection usable for the next request."""

import uuid
from urllib.parse import urlencode

import requests

from remixer.models import LOCAL_MODEL, Video
from remixer.tests.support.cut_bodies import (
    MULTIPART,
    exchange,
    kept_connection,
    multipart,
    send_cut,
    status_of,
    upload_body,
)


def test_a_page_does_not_take_a_cut_form(server, ana):
    session = requests.Session()
    session.get(f"{server}/login", timeout=10)
    token = str(session.cookies["csrftoken"])
    login = {"username": "ana", "password": "ana-password-1", "csrfmiddlewaretoken": token}
    assert session.post(f"{server}/login", data=login, timeout=10).url == f"{server}/"
    fields = {
        "csrfmiddlewaretoken": token,
        "prompt": "calm blue waves",
        "model": LOCAL_MODEL,
        "size": "1280x720",
        "seconds": "4",
        "form_token": uuid.uuid4().hex,
    }
    cookie = f"csrftoken={token}; sessionid={session.cookies['sessionid']}"
    headers = {"Cookie": cookie, "Referer": f"{server}/videos/new"}
    # Every field arrives; only the padding after them is cut.
    as_form = urlencode({**fields, "pad": "x" * 900}).encode()
    as_multipart = multipart({**fields, "pad": "x" * 900})
    bodies = [
        ("application/x-www-form-urlencoded", as_form, as_form.index(b"&pad=")),
        (MULTIPART, as_multipart, as_multipart.index(b'name="pad"')),
    ]
    for content_type, body, cut in bodies:
        sent = {**headers, "Content-Type": content_type}
        for way in [sent, {**sent, "X-CSRFToken": token}]:  # a plain form, and htmx's way
            answer = send_cut(server, "/videos/new", way, body, cut)
            assert status_of(answer) == 400, answer[:3000]
            assert b"ended after" in answer, answer[:3000]
    assert not Video.objects.exists()


def test_a_form_refused_unread_leaves_the_connection_usable(server):
    """A form posted without the CSRF cookie is refused (403) before it is read: it is read to
    its end before the answer goes, so the next request on the connection is answered."""
    connection = kept_connection(server)
    headers = {"Content-Type": MULTIPART}
    answers = []
    for size in (300_000, 1_000_000, 3_000_000):
        refused = exchange(connection, "POST", "/videos/new", headers, upload_body(size))
        answers.append((refused, exchange(connection, "GET", "/login", {})))
    connection.close()
    assert answers == [(403, 200)] * 3
