"""The Trash: a deleted video leaves the library at once, comes back with Undo or Restore,
and leaves a tombstone when its files go (emptied, erased, or purged after the set days)."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from remixer.actions import jobs, trash
from remixer.actions.errors import NotAllowed
from remixer.files import storage
from remixer.forms.videos import RemixForm
from remixer.management.commands.worker import sweep_once
from remixer.models import Provider, Video
from remixer.models.accounts import ApiKey
from remixer.tests.conftest import finished_video, job
from remixer.worker import pipeline

pytestmark = pytest.mark.django_db


def files_of(video: Video) -> list[Path]:
    return [Path(f.path) for f in (video.video_file, video.thumbnail_file) if f]


def trashed(video: Video, days_ago: float = 0) -> Video:
    Video.objects.filter(pk=video.pk).update(trashed_at=timezone.now() - timedelta(days=days_ago))
    return Video.objects.get(pk=video.pk)


def test_delete_asks_first_then_undo_puts_it_back(client, ana, clip_path):
    older = finished_video(ana, clip_path, prompt="an older video")
    video = finished_video(ana, clip_path, title="Harbour at dawn")
    finished_video(ana, clip_path, prompt="a newer video")
    client.force_login(ana)
    order = [v.pk for v in Video.objects.newest_first()]

    asked = client.get(f"/videos/{video.pk}/delete").content.decode()
    assert "Move “Harbour at dawn” to the Trash?" in asked  # the page without JavaScript
    assert f'action="/videos/{video.pk}/delete"' in asked and 'method="post"' in asked
    page = client.get(video.get_absolute_url()).content.decode()
    assert 'hx-confirm="Move “Harbour at dawn” to the Trash?"' in page
    assert Video.objects.in_library().filter(pk=video.pk).exists()  # asking deleted nothing

    answer = client.post(f"/videos/{video.pk}/delete", headers={"HX-Request": "true"})
    assert answer["HX-Redirect"] == "/"
    library = client.get("/").content.decode()
    assert "Moved “Harbour at dawn” to the Trash." in library
    assert f'action="/videos/{video.pk}/restore"' in library  # the message's Undo
    assert f"card-{video.pk}" not in library and f"card-{older.pk}" in library
    assert all(path.exists() for path in files_of(video))

    undone = client.post(f"/videos/{video.pk}/restore", follow=True)
    assert "Restored “Harbour at dawn” to the library." in undone.content.decode()
    assert [v.pk for v in Video.objects.in_library().newest_first()] == order


def test_a_trashed_video_leaves_every_door_at_once(client, ana, clip_path, source):
    remix = finished_video(ana, clip_path, remixed_from=source, remixed_from_video_id=source.pk)
    client.force_login(ana)
    key = ApiKey.issue(user=ana, name="script")[1]
    headers = {"Authorization": f"Bearer {key}"}
    trash.trash_video(user=ana, video=source)

    for url in ["/", "/remix", "/?q=calm"]:
        assert source.pk not in client.get(url).content.decode(), url
    for url in ["", ".json", "/content", "/preview", "/compare", "/delete"]:
        assert client.get(f"/videos/{source.pk}{url}").status_code == 404, url
    assert client.get(f"/videos/{remix.pk}/compare?with={source.pk}").status_code == 404
    assert client.get(f"/videos/{source.pk}/status")["HX-Redirect"] == "/"  # an open page's poll
    remix_page = client.get(remix.get_absolute_url()).content.decode()
    assert "(deleted)" in remix_page and "Compare with source" not in remix_page
    since = remix.created_at.isoformat()
    for url, asked in [("/videos/live", {}), ("/live", {"since": since, "v": "x"})]:
        live = client.get(url, {"id": source.pk, **asked}).content.decode()
        assert f'<li id="card-{source.pk}" hx-swap-oob="delete">' in live, url  # the card goes

    listed = client.get("/v1/videos", headers=headers).json()["data"]
    assert [v["id"] for v in listed] == [remix.pk]
    for method, suffix in [("get", ""), ("get", "/content"), ("post", "/remix")]:
        answer = getattr(client, method)(f"/v1/videos/{source.pk}{suffix}", headers=headers)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    form = RemixForm({"prompt": "sepia", "form_token": str(uuid.uuid4())}, source=source)
    assert form.is_valid()
    with pytest.raises(NotAllowed, match="Only a completed video"):
        jobs.submit(form.spec(owner=ana))
    remix.refresh_from_db()
    assert remix.remixed_from_id == source.pk  # the family keeps its shape


def test_the_trash_lists_ones_own_staff_see_everyones_and_restore(client, ana, ben, staff):
    mine = trashed(job(ana, status="failed", prompt="my failed try"))
    theirs = trashed(job(ben, status="failed", prompt="bens failed try"))
    client.force_login(ana)
    page = client.get("/trash").content.decode()
    assert "my failed try" in page and "bens failed try" not in page
    assert 'href="/trash"' in page  # the header's link
    assert f"or {settings.REMIXER_TRASH_DAYS} days after it was deleted" in page
    assert client.post(f"/videos/{theirs.pk}/restore").status_code == 404  # not hers to see
    assert Video.objects.get(pk=theirs.pk).trashed_at is not None  # nor to restore
    bens = job(ben, status="completed")
    assert client.get(f"/videos/{bens.pk}/delete").status_code == 403  # nor his to delete
    assert client.post(f"/videos/{bens.pk}/delete").status_code == 403
    assert Video.objects.in_library().filter(pk=bens.pk).exists()

    client.force_login(staff)
    page = client.get("/trash").content.decode()
    assert "my failed try" in page and "bens failed try" in page
    client.post(f"/videos/{mine.pk}/restore", {"from": "trash"})
    assert Video.objects.in_library().filter(pk=mine.pk).exists()


def test_empty_the_trash_removes_files_and_keeps_tombstones(
    client, ana, ben, clip_path, django_capture_on_commit_callbacks
):
    gone = trashed(finished_video(ana, clip_path, prompt="going"))
    others = trashed(finished_video(ben, clip_path, prompt="ben's"))
    client.force_login(ana)
    assert "Empty the Trash?" in client.get("/trash/empty").content.decode()  # asks first
    assert all(path.exists() for path in files_of(gone))

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/trash/empty", follow=True)
    assert "the files of 1 video are gone" in answer.content.decode()
    assert not any(path.exists() for path in files_of(gone))
    assert all(path.exists() for path in files_of(others))  # only what her Trash listed
    tombstone = Video.objects.get(pk=gone.pk)
    assert (tombstone.prompt, tombstone.video_file.name, tombstone.erased) == ("going", "", False)
    assert "going" not in client.get("/trash").content.decode()
    assert client.post(f"/videos/{gone.pk}/restore").status_code == 404  # no files to restore


def test_erase_completely_blanks_the_prompt_and_removes_the_files(
    client, ana, clip_path, django_capture_on_commit_callbacks
):
    words = {"prompt": "a private idea"}
    video = trashed(
        finished_video(
            ana, clip_path, title="Secret", provider_object=words, submission=words, **words
        )
    )
    client.force_login(ana)
    page = client.get("/trash").content.decode()
    assert 'hx-confirm="Erase “Secret” completely?' in page
    assert "Erase “Secret” completely?" in client.get(f"/videos/{video.pk}/erase").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/videos/{video.pk}/erase")
    erased = Video.objects.get(pk=video.pk)
    assert (erased.erased, erased.prompt, erased.title, erased.recipe) == (True, "", "", None)
    assert erased.remixed_from_video_id is None and erased.owner == ana  # the tombstone
    assert erased.provider_object is None and erased.submission is None
    assert not any(path.exists() for path in files_of(video))


def test_the_workers_sweep_purges_after_the_set_days(
    ana, clip_path, settings, django_capture_on_commit_callbacks, live_upstream_provider
):
    settings.REMIXER_TRASH_DAYS = 7
    old = trashed(finished_video(ana, clip_path), days_ago=7.01)
    recent = trashed(finished_video(ana, clip_path), days_ago=6.9)
    upstream = trashed(
        finished_video(ana, clip_path, provider=live_upstream_provider, provider_video_id="v_up"),
        days_ago=8,
    )
    with django_capture_on_commit_callbacks(execute=True):
        sweep_once()
    assert not any(path.exists() for path in files_of(old) + files_of(upstream))
    assert all(path.exists() for path in files_of(recent))
    assert Video.objects.get(pk=old.pk).files_removed_at is not None
    assert Video.objects.in_trash().filter(pk=recent.pk).exists()
    deletes = DBTaskResult.objects.filter(task_path="remixer.tasks.delete_upstream")
    assert [row.args_kwargs["args"] for row in deletes] == [[live_upstream_provider.pk, "v_up"]]


@pytest.fixture
def live_upstream_provider() -> Provider:
    """An HTTP provider's row: the purge asks a task to delete its copy; no request is made."""
    return Provider.objects.create(name="Upstream", base_url="http://127.0.0.1:9/v1")


def test_a_remix_of_a_trashed_source_finishes_and_then_its_files_go(
    client, ana, source, settings, django_capture_on_commit_callbacks
):
    settings.REMIXER_TRASH_DAYS = 1
    form = RemixForm({"prompt": "sepia, mirror", "form_token": str(uuid.uuid4())}, source=source)
    assert form.is_valid()
    remix = jobs.submit(form.spec(owner=ana))
    trashed(source, days_ago=2)
    client.force_login(ana)
    assert "kept while a remix of it is being made" in client.get("/trash").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_once()
        answer = client.post("/trash/empty", follow=True).content.decode()
        refused = client.post(f"/videos/{source.pk}/erase", follow=True).content.decode()
    kept = "The files of 1 other video stay until the remixes being made from it finish."
    assert f"the files of 0 videos are gone. {kept}" in answer
    assert "its files stay until that finishes" in refused
    assert all(path.exists() for path in files_of(source))

    pipeline.render(remix.pk)  # the job, as a worker runs it
    remix.refresh_from_db()
    assert remix.status == "completed" and Path(remix.video_file.path).exists()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_once()
    assert not any(path.exists() for path in files_of(source))
    assert Path(remix.video_file.path).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK marks videos deprecated
def test_the_sdks_auto_paging_reaches_the_end_while_the_loop_deletes(live_server, ana):
    from openai import OpenAI

    made = [job(ana, status="completed", prompt=f"waves {i}").pk for i in range(5)]
    key = ApiKey.issue(user=ana, name="cleanup")[1]
    with OpenAI(base_url=f"{live_server.url}/v1", api_key=key, max_retries=0) as client:
        seen = []
        for video in client.videos.list(limit=2):  # each next page starts after a deleted id
            seen.append(video.id)
            assert client.videos.delete(video.id).deleted
        assert seen == made[::-1]
        assert client.videos.list(limit=2).data == []
    assert Video.objects.in_trash().count() == 5


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_delete_asks_and_the_message_undoes_it(
    server, browser, ana, clip_path, tmp_path
):
    from remixer.tests.conftest import log_in

    video = finished_video(ana, clip_path, title="Harbour at dawn")
    thumbnail = tmp_path / "thumbnail.webp"
    Image.new("RGB", (128, 72)).save(thumbnail)  # the player's poster
    video.thumbnail_file.name = storage.save(thumbnail, f"videos/{video.pk}/thumbnail.webp")
    video.save(update_fields=["thumbnail_file"])
    page = log_in(browser, server, "ana", "ana-password-1")
    page.goto(f"{server}/videos/{video.pk}")
    asked: list[str] = []

    def answer(dialog, accept: bool) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.click("button:has-text('Delete')")
    page.wait_for_timeout(300)
    assert asked == ["Move “Harbour at dawn” to the Trash?"]
    assert page.url.endswith(video.pk) and Video.objects.in_library().filter(pk=video.pk)

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.click("button:has-text('Delete')")
    page.wait_for_url(f"{server}/")
    notice = page.locator(".notice")
    assert notice.inner_text().startswith("Moved “Harbour at dawn” to the Trash.")
    assert page.locator(f"#card-{video.pk}").count() == 0
    notice.locator("button:has-text('Undo')").click()
    page.wait_for_url(f"{server}/videos/{video.pk}")
    assert "Restored “Harbour at dawn” to the library." in page.locator(".notice").inner_text()
    assert Video.objects.get(pk=video.pk).trashed_at is None
