"""A page's form whose body ends before its Content-Length is refused (400), never taken as
whole, sent as a plain form or as htmx sends it: over a real socket to remixer as served."""

import uuid
from urllib.parse import urlencode

import requests

from remixer.models import LOCAL_MODEL, Video
from remixer.tests.support.cut_bodies import MULTIPART, multipart, send_cut, status_of


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
