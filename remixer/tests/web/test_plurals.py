"""A number and its noun agree on every page that counts: "1 video", "2 videos", "1 day"."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from remixer.lib.words import counted
from remixer.models import Video
from remixer.models.exports import Export, ExportImport
from remixer.tests.conftest import video_row

PLURALS = {
    "videos", "days", "jobs", "remixes", "hours", "minutes", "seconds", "files", "retries",
    "keys", "variations", "calls", "exports", "imports", "people", "frames", "characters",
    "times", "versions", "results",
}  # fmt: skip
ONE = re.compile(r"\b1 (?:other |more )?(\w+s)\b")


def wrong_plurals(page: str) -> list[str]:
    """Every "1 <plural noun>" in the page's text, as "1 videos"."""
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    return [f"1 {noun}" for noun in ONE.findall(text) if noun in PLURALS]


def seen(client, url: str, **data: str) -> str:  # type: ignore[no-untyped-def]
    answer = client.get(url, data)
    page = answer.content.decode()
    assert answer.status_code == 200, url
    assert not wrong_plurals(page), (url, wrong_plurals(page))
    return page


@pytest.mark.database_free
def test_the_check_finds_a_wrong_plural_and_counted_says_it_right():
    assert wrong_plurals("<p>the files of 1 videos are gone, 1 <b>days</b> left</p>") == [
        "1 videos",
        "1 days",
    ]
    assert wrong_plurals("1 video, 2 videos, 1 day, 31 days, 1 remix, 1 other video") == []
    assert [counted(n, "video") for n in (0, 1, 2)] == ["0 videos", "1 video", "2 videos"]
    assert counted(1, "retry", "retries") == "1 retry" and counted(3, "retry", "retries") == (
        "3 retries"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 2])
def test_the_trash_counts_its_days_and_what_emptying_removed(client, ana, settings, count):
    settings.REMIXER_TRASH_DAYS = count
    for number in range(count):
        video_row(ana, status="failed", prompt=f"trashed {number}", trashed_at=timezone.now())
    client.force_login(ana)
    page = seen(client, "/trash")
    assert f"or {counted(count, 'day')} after it was deleted" in page
    assert page.count('class="trashed"') == count

    emptied = client.post("/trash/empty", follow=True).content.decode()
    assert f"Emptied the Trash: the files of {counted(count, 'video')} are gone." in emptied
    assert not wrong_plurals(emptied)
    assert "The Trash is empty." in emptied and not Video.objects.in_trash().exists()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 2])
def test_import_and_export_pages_count_right(client, ana, settings, count):
    settings.REMIXER_MAX_ACTIVE_JOBS = count
    settings.REMIXER_EXPORT_HOURS = count
    ExportImport.objects.create(
        owner=ana, form_token=uuid.uuid4(), status=ExportImport.Status.WAITING, video_count=count
    )
    export = Export.objects.create(
        owner=ana,
        scope=Export.Scope.MINE,
        status=Export.Status.COMPLETED,
        video_count=count,
        file="exports/x.zip",
        file_size=2048,
        expires_at=timezone.now() + timedelta(hours=count),
    )
    client.force_login(ana)
    imports = seen(client, "/videos/import")
    assert f"against the {counted(count, 'job')} you may have" in imports
    assert f"0 of {counted(count, 'video')} started, {count} waiting" in imports
    exports = seen(client, "/exports")
    assert f"the download link lasts {counted(count, 'hour')}." in exports
    assert f"Ready: {counted(count, 'video')}," in seen(client, export.get_absolute_url())


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 2])
def test_the_library_counts_what_a_search_found(client, ana, count):
    for number in range(count):
        video_row(ana, status="completed", prompt=f"a heron at dusk {number}")
    video_row(ana, status="completed", prompt="a city at noon")
    client.force_login(ana)
    page = seen(client, "/", q="heron")
    assert f"{counted(count, 'video')} found." in page
