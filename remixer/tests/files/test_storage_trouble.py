"""A storage failure tells the creator it cannot be reached, in plain words; where the storage
is and what it answered go to the log, for the operator."""

import logging

import pytest
from botocore.exceptions import EndpointConnectionError

from remixer.files import storage
from remixer.models.accounts import ApiKey
from remixer.models.exports import Export
from remixer.tests.conftest import video_row
from remixer.worker import archiving, exports, pipeline

pytestmark = pytest.mark.django_db
INSIDE = "http://127.0.0.1:5122/bucket/videos/"  # the bucket's address, as botocore names it


@pytest.fixture
def unreachable(monkeypatch, source):  # type: ignore[no-untyped-def]
    """Every save fails as a bucket out of reach does (the source is stored before)."""

    def refuse(self, name, content):  # type: ignore[no-untyped-def]
        raise EndpointConnectionError(endpoint_url=INSIDE + name)

    monkeypatch.setattr(storage.LocalStorage, "_save", refuse)
    monkeypatch.setattr(archiving, "STORE_RETRY", 10**6)  # past the lease: fail at the first


def test_the_creator_reads_plain_words_and_the_log_keeps_the_address(
    unreachable, client, ana, source, media_root, caplog
):
    remix = video_row(ana, prompt="sepia", remixed_from=source)
    with caplog.at_level(logging.WARNING, logger="remixer.files.storage"):
        pipeline.render(remix.pk)
    remix.refresh_from_db()
    assert (remix.status, remix.error_code) == ("failed", "storage_unavailable")
    assert remix.error_message == f"The video could not be stored: {storage.UNAVAILABLE}"
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("remixer."))
    assert INSIDE in logged and str(media_root) in logged  # what and where, for the operator

    client.force_login(ana)
    page = client.get(remix.get_absolute_url()).content.decode()
    key = ApiKey.issue(user=ana, name="script")[1]
    answer = client.get(f"/v1/videos/{remix.pk}", headers={"Authorization": f"Bearer {key}"})
    assert answer.json()["error"]["message"] == remix.error_message
    for shown in (page, answer.content.decode()):
        assert storage.UNAVAILABLE in shown
        assert "5122" not in shown and str(media_root) not in shown


def test_a_failed_export_says_the_same(unreachable, client, ana, media_root):
    export = Export.objects.create(owner=ana, scope="mine")
    exports.build(str(export.pk))
    export.refresh_from_db()
    assert export.status == "failed"
    client.force_login(ana)
    page = client.get(f"/exports/{export.pk}").content.decode()
    assert storage.UNAVAILABLE in page
    assert "5122" not in page and str(media_root) not in page
