"""Each door that signs in, makes or revokes a key, moves videos through the Trash or exports
them writes one record of who, from where and on what, through the real pages, /v1 and the
command; a record that cannot be written undoes the action it records."""

from pathlib import Path

import pytest
from django.core.management import call_command

from remixer import tasks
from remixer.models import ApiKey, AuditRecord, Video
from remixer.models.exports import Export
from remixer.tests.conftest import finished_video, video_row

pytestmark = pytest.mark.django_db

Action = AuditRecord.Action
HOME = "203.0.113.7"  # the address each request here comes from


def only(action: str) -> AuditRecord:
    return AuditRecord.objects.get(action=action)


def test_sign_ins_and_failed_ones_are_recorded_with_the_name_typed(client, ana, settings):
    wrong = client.post("/login", {"username": "ana", "password": "wrong"}, REMOTE_ADDR=HOME)
    assert wrong.status_code == 200
    failed = only(Action.SIGN_IN_FAILED)
    assert (failed.user, failed.username, failed.address) == (None, "ana", HOME)

    client.post("/login", {"username": "ana", "password": "ana-password-1"}, REMOTE_ADDR=HOME)
    signed = only(Action.SIGNED_IN)
    assert (signed.user, signed.username, signed.address) == (ana, "ana", HOME)
    # Signed in already: a second POST signs nobody in.
    client.post("/login", {"username": "ana", "password": "ana-password-1"}, REMOTE_ADDR=HOME)
    assert AuditRecord.objects.filter(action=Action.SIGNED_IN).count() == 1


def test_the_admin_s_sign_in_behind_a_trusted_proxy_names_the_client(
    client, django_user_model, settings
):
    settings.REMIXER_TRUSTED_PROXIES = ["127.0.0.1"]
    olga = django_user_model.objects.create_superuser("olga", password="olga-password-1")
    typed = {"username": "olga", "password": "olga-password-1", "next": "/admin/"}
    proxied = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    assert client.post("/admin/login/", typed, **proxied).status_code == 302
    signed = only(Action.SIGNED_IN)
    assert (signed.user, signed.address) == (olga, "198.51.100.9")


def test_keys_made_and_revoked_on_the_page_and_made_by_the_command(client, ana, capsys):
    client.force_login(ana)
    client.post("/keys", {"name": "laptop"}, REMOTE_ADDR=HOME)
    key = ApiKey.objects.get(name="laptop")
    made = only(Action.KEY_MADE)
    assert (made.user, made.address, made.target_kind, made.target_id) == (
        ana,
        HOME,
        "apikey",
        str(key.pk),
    )
    assert made.detail == {"name": "laptop", "prefix": key.prefix, "via": "the keys page"}

    client.post(f"/keys/{key.pk}/revoke", REMOTE_ADDR=HOME)
    revoked = only(Action.KEY_REVOKED)
    assert (revoked.user, revoked.target_id, revoked.address) == (ana, str(key.pk), HOME)
    client.post(f"/keys/{key.pk}/revoke", REMOTE_ADDR=HOME)  # again: nothing more happened
    assert AuditRecord.objects.filter(action=Action.KEY_REVOKED).count() == 1

    call_command("create_api_key", "ana", "--name", "cron")
    shell = AuditRecord.objects.get(action=Action.KEY_MADE, detail__name="cron")
    assert (shell.user, shell.address, shell.detail["via"]) == (ana, None, "create_api_key")
    assert shell.target_id == str(ApiKey.objects.get(name="cron").pk)


def test_the_trash_pages_record_delete_restore_erase_and_empty(client, ana):
    video = video_row(ana, status=Video.Status.COMPLETED)
    other = video_row(ana, status=Video.Status.FAILED)
    client.force_login(ana)
    client.post(f"/videos/{video.pk}/delete", REMOTE_ADDR=HOME)
    client.post(f"/videos/{video.pk}/restore", REMOTE_ADDR=HOME)
    client.post(f"/videos/{video.pk}/delete", REMOTE_ADDR=HOME)
    client.post(f"/videos/{video.pk}/erase", REMOTE_ADDR=HOME)
    client.post(f"/videos/{other.pk}/delete", REMOTE_ADDR=HOME)
    client.post("/trash/empty", REMOTE_ADDR=HOME)

    trail = list(AuditRecord.objects.order_by("at", "id"))
    assert [(r.action, r.target_id) for r in trail] == [
        (Action.VIDEO_DELETED, video.pk),
        (Action.VIDEO_RESTORED, video.pk),
        (Action.VIDEO_DELETED, video.pk),
        (Action.VIDEO_ERASED, video.pk),
        (Action.VIDEO_DELETED, other.pk),
        (Action.TRASH_EMPTIED, ""),
    ]
    assert {(r.user, r.address) for r in trail} == {(ana, HOME)}
    assert trail[0].target_kind == "video"
    assert trail[-1].detail == {"count": 1, "ids": [other.pk], "kept": 0}
    assert Video.objects.get(pk=other.pk).files_removed_at is not None


def test_v1_delete_is_recorded_with_the_key_s_owner(client, ana):
    video = video_row(ana, status=Video.Status.COMPLETED)
    secret = ApiKey.issue(user=ana, name="script")[1]
    answer = client.delete(
        f"/v1/videos/{video.pk}", headers={"Authorization": f"Bearer {secret}"}, REMOTE_ADDR=HOME
    )
    assert answer.status_code == 200
    deleted = only(Action.VIDEO_DELETED)
    assert (deleted.user, deleted.address, deleted.target_id) == (ana, HOME, video.pk)


def test_an_export_made_and_downloaded_is_recorded_once_per_download(client, ana, clip_path: Path):
    video = finished_video(ana, clip_path)
    client.force_login(ana)
    client.post("/exports", {"scope": "selected", "v": [video.pk]}, REMOTE_ADDR=HOME)
    export = Export.objects.get()
    made = only(Action.EXPORT_MADE)
    assert (made.user, made.address, made.target_kind) == (ana, HOME, "export")
    assert made.target_id == str(export.pk)
    assert made.detail == {"scope": "selected", "count": 1, "ids": [video.pk]}

    tasks.build_export.call(str(export.pk))
    download = client.get(f"/exports/{export.pk}/download", REMOTE_ADDR=HOME)
    assert download.status_code == 200
    resumed = {"Range": "bytes=10-20"}
    assert client.get(f"/exports/{export.pk}/download", headers=resumed).status_code == 206
    downloaded = only(Action.EXPORT_DOWNLOADED)  # the resumed part is no new download
    assert (downloaded.user, downloaded.address, downloaded.target_id) == (
        ana,
        HOME,
        str(export.pk),
    )


def test_a_record_that_cannot_be_written_undoes_its_action(client, ana, monkeypatch):
    video = video_row(ana, status=Video.Status.COMPLETED)
    client.force_login(ana)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit table is unwritable")

    monkeypatch.setattr(AuditRecord, "save", broken)
    with pytest.raises(RuntimeError, match="unwritable"):
        client.post(f"/videos/{video.pk}/delete")
    assert Video.objects.in_library().filter(pk=video.pk).exists()  # not trashed
    with pytest.raises(RuntimeError, match="unwritable"):
        client.post("/keys", {"name": "laptop"})
    assert not ApiKey.objects.exists()
    assert not AuditRecord.objects.exists()


def test_a_record_is_never_changed(ana):
    record = AuditRecord.objects.create(action=Action.SIGNED_IN, user=ana, username="ana")
    record.address = "192.0.2.1"
    with pytest.raises(ValueError, match="never changed"):
        record.save()
