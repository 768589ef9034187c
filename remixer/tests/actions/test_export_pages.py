"""Exports on the pages: the export page builds a ZIP that only its owner may download, a
worker writes it, it expires, and operators see it in the admin."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from remixer import tasks
from remixer.files import storage
from remixer.models.exports import Export
from remixer.tests.conftest import log_in, shoot
from remixer.tests.support.export_zips import contents
from remixer.worker import exports

pytestmark = pytest.mark.django_db


def test_the_export_page_builds_a_zip_only_its_owner_may_download(
    stores, family, client, ana, ben, staff
):
    client.force_login(ana)
    library = client.get("/").content.decode()
    assert 'formaction="/exports">Export…</button>' in library  # ticked cards come along
    ticked = client.get(f"/exports?v={family['sepia'].pk}").content.decode()
    assert f'value="{family["sepia"].pk}" checked>' in ticked
    page = client.get("/exports")
    assert family["sepia"].pk in page.content.decode()
    assert family["trashed"].pk not in page.content.decode()
    assert "Export everything</button>" not in page.content.decode()
    refused = client.post("/exports", {"scope": "all"})
    assert (
        refused.status_code == 400
        and "Only staff may export everything." in refused.content.decode()
    )
    response = client.post("/exports", {"scope": "selected", "v": [family["sepia"].pk]})
    export = Export.objects.get()
    assert response["Location"] == export.get_absolute_url()
    waiting = client.get(f"/exports/{export.pk}/status").content.decode()
    assert "Waiting for a worker" in waiting and "hx-trigger" in waiting
    tasks.build_export.call(str(export.pk))
    done = client.get(f"/exports/{export.pk}/status").content.decode()
    assert "Download the ZIP" in done and "hx-trigger" not in done
    assert "1 video," in done
    client.force_login(ben)
    assert client.get(f"/exports/{export.pk}").status_code == 404
    assert client.get(f"/exports/{export.pk}/download").status_code == 404
    client.force_login(staff)
    download = client.get(f"/exports/{export.pk}/download")
    assert download.status_code == (302 if stores == "s3" else 200)  # s3: a presigned URL
    if stores == "s3":
        return
    client.force_login(ana)
    download = client.get(f"/exports/{export.pk}/download")
    assert download.status_code == 200
    assert "remixer-export-" in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert exports.read_manifest(archive) == [family["sepia"].pk]
    partial = client.get(f"/exports/{export.pk}/download", headers={"Range": "bytes=0-3"})
    assert partial.status_code == 206 and b"".join(partial.streaming_content) == b"PK\x03\x04"


def test_an_expired_export_is_refused_and_its_file_removed(family, client, ana):
    client.force_login(ana)
    client.post("/exports", {"scope": "mine"})
    export = Export.objects.get()
    tasks.build_export.call(str(export.pk))
    export.refresh_from_db()
    assert export.video_count == 2 and storage.exists(export.file)  # ana's, none trashed
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(f"/exports/{export.pk}/download")
    assert response.status_code == 410 and "This export has expired" in response.content.decode()
    tasks.sweep()  # what every worker runs every few seconds
    assert not storage.exists(export.file)
    assert Export.objects.get().file == ""


def test_operators_see_exports_in_the_admin(family, client, ana, django_user_model):
    client.force_login(ana)
    client.post("/exports", {"scope": "mine"})
    olga = django_user_model.objects.create_superuser("olga", password="olga-password-1")
    client.force_login(olga)
    page = client.get("/admin/remixer/export/")
    assert page.status_code == 200 and "Everything I own" in page.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_an_export_shows_its_progress_then_downloads(
    server, browser, family, tmp_path
):
    """`manage.py serve` with its workers: tick a video, follow the export, download the ZIP."""
    sepia = family["sepia"]
    page = log_in(browser, server, "ana", "ana-password-1")
    page.click("text=Export")
    page.check(f"input[value='{sepia.pk}']")
    shoot(page, "exports")
    page.click("button:has-text('Export selected')")
    page.wait_for_url(re.compile(r".*/exports/[0-9a-f-]{36}$"))
    link = page.locator("a:has-text('Download the ZIP')")
    link.wait_for(timeout=60_000)  # the page polls until the worker has stored the ZIP
    assert "Ready: 1 video" in page.inner_text("#export-progress")
    shoot(page, "export-ready")
    with page.expect_download() as started:
        link.click()
    saved = tmp_path / "downloaded.zip"
    started.value.save_as(saved)
    assert list(contents(saved)) == [sepia.pk]
    assert contents(saved)[sepia.pk]["sha256"] == sepia.file_sha256


def test_an_export_whose_worker_stopped_fails_in_words(client, ana):
    stalled = Export.objects.create(owner=ana, scope="mine", status="in_progress", progress=40)
    Export.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    running = Export.objects.create(owner=ana, scope="mine", status="in_progress", progress=10)
    tasks.sweep()
    stalled.refresh_from_db()
    assert stalled.status == "failed" and "Its worker stopped" in stalled.error_message
    assert Export.objects.get(pk=running.pk).status == "in_progress"
    client.force_login(ana)
    page = client.get(stalled.get_absolute_url()).content.decode()
    assert "Its worker stopped before the ZIP was written: export again." in page
    assert "hx-trigger" not in page
