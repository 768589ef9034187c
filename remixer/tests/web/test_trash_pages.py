"""A link to a video that has left the library says where it went, in the site's look: in the
Trash (its owner and staff may restore it from there), deleted for good, erased, or never
there; any other unknown address gets the site's 404 page, and a crash its 500 page."""

import re

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.test import Client
from django.urls import include, path
from django.utils import timezone

from remixer.models import Video
from remixer.models.accounts import ApiKey
from remixer.tests.conftest import video_row

HEADER = '<a class="brand" href="/">remixer</a>'
RESTORE = re.compile(r'<form method="post" action="/videos/(video_\w+)/restore">')


@login_not_required
def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# This module is also the URLconf of the test that needs a page that crashes.
urlpatterns = [path("crash", crash), path("", include("remixer.urls"))]


@pytest.fixture
def trashed(ana) -> Video:
    return video_row(
        ana,
        status="completed",
        title="Harbour plans",
        prompt="a private idea",
        trashed_at=timezone.now(),
    )


@pytest.mark.django_db
def test_its_owner_finds_a_trashed_video_s_link_in_the_trash_and_restores_it(client, ana, trashed):
    client.force_login(ana)
    answer = client.get(trashed.get_absolute_url())
    page = answer.content.decode()
    assert answer.status_code == 404  # not in the library, though not gone for good
    assert HEADER in page and 'href="/trash"' in page
    assert "“Harbour plans” is in the Trash" in page
    assert RESTORE.findall(page) == [trashed.pk]

    restored = client.post(f"/videos/{trashed.pk}/restore", follow=True)
    assert restored.redirect_chain == [(trashed.get_absolute_url(), 302)]
    assert restored.status_code == 200
    assert "Restored “Harbour plans” to the library." in restored.content.decode()
    assert Video.objects.in_library().filter(pk=trashed.pk).exists()


@pytest.mark.django_db
def test_staff_restore_anyone_s_trashed_video_from_its_link(client, staff, trashed):
    client.force_login(staff)
    page = client.get(trashed.get_absolute_url()).content.decode()
    assert "“Harbour plans” is in the Trash" in page and RESTORE.findall(page) == [trashed.pk]
    assert client.post(f"/videos/{trashed.pk}/restore").url == trashed.get_absolute_url()
    assert Video.objects.get(pk=trashed.pk).trashed_at is None


@pytest.mark.django_db
def test_others_learn_only_that_it_is_in_the_trash(client, ben, trashed):
    client.force_login(ben)
    answer = client.get(trashed.get_absolute_url())
    page = answer.content.decode()
    assert answer.status_code == 404 and HEADER in page
    assert "This video is in the Trash" in page and "Only its owner can restore it" in page
    assert not RESTORE.findall(page)
    assert "Harbour" not in page and "private idea" not in page
    assert client.post(f"/videos/{trashed.pk}/restore").status_code == 404
    assert Video.objects.in_trash().filter(pk=trashed.pk).exists()


@pytest.mark.django_db
def test_a_video_whose_files_went_says_so_and_offers_no_restore(client, ana, ben, trashed):
    Video.objects.filter(pk=trashed.pk).update(files_removed_at=timezone.now())
    client.force_login(ana)
    answer = client.get(trashed.get_absolute_url())
    page = answer.content.decode()
    assert answer.status_code == 410  # gone, and it cannot come back
    assert "“Harbour plans” was deleted, and its files went on" in page
    assert "cannot be restored" in page and not RESTORE.findall(page)
    client.force_login(ben)
    page = client.get(trashed.get_absolute_url()).content.decode()
    assert "It was deleted, and its files went on" in page and "Harbour" not in page


@pytest.mark.django_db
def test_an_erased_video_s_link_says_it_was_erased(client, ana, trashed):
    fields = {"files_removed_at": timezone.now(), "erased": True, "title": "", "prompt": ""}
    Video.objects.filter(pk=trashed.pk).update(**fields)
    client.force_login(ana)
    answer = client.get(trashed.get_absolute_url())
    assert answer.status_code == 410
    assert "This video was erased" in answer.content.decode()
    assert not RESTORE.findall(answer.content.decode())


@pytest.mark.django_db
def test_an_unknown_video_and_an_unknown_address_get_the_site_s_404_page(client, ana):
    client.force_login(ana)
    answer = client.get("/videos/video_0123456789abcdef")
    page = answer.content.decode()
    assert answer.status_code == 404 and HEADER in page
    assert "<h1>No such video</h1>" in page and "even once erased" in page

    for url in ["/no/such/page", "/videos/video_nope/lineage"]:
        answer = client.get(url)
        page = answer.content.decode()
        assert answer.status_code == 404, url
        assert HEADER in page and "<h1>Page not found</h1>" in page, url
        assert '<a class="button" href="/">Back to the library</a>' in page, url


@pytest.mark.django_db
def test_v1_still_answers_its_404s_in_json(client, ana, trashed):
    headers = {"Authorization": f"Bearer {ApiKey.issue(user=ana, name='script')[1]}"}
    for url, code in [
        ("/v1/videos/video_0123456789abcdef", "not_found"),
        (f"/v1/videos/{trashed.pk}", "not_found"),
        ("/v1/no/such/route", "unknown_url"),
    ]:
        answer = client.get(url, headers=headers)
        assert answer.status_code == 404, url
        assert answer["Content-Type"].startswith("application/json"), url
        assert answer.json()["error"]["code"] == code, url


@pytest.mark.database_free
def test_the_500_page_needs_no_request_user_or_database():
    page = render_to_string("500.html")
    assert "<h1>Something went wrong</h1>" in page and HEADER in page
    assert re.search(r'<link rel="stylesheet" href="/static/remixer[.\w]*\.css">', page)
    assert "csrf" not in page.lower() and "{{" not in page


@pytest.mark.database_free
@pytest.mark.urls(__name__)
def test_a_crash_answers_the_500_page():
    answer = Client(raise_request_exception=False).get("/crash")
    assert answer.status_code == 500
    assert "<h1>Something went wrong</h1>" in answer.content.decode()
