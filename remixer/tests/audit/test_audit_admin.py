"""The admin's changes are recorded (providers, the catalog, its actions on videos and keys);
the trail is read-only there, filtered by person, action and date; the sweep ends old records;
a bad REMIXER_AUDIT_DAYS stops the start in words."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from remixer import tasks
from remixer.models import ApiKey, AuditRecord, CatalogEntry, Provider, Video
from remixer.tests.conftest import ROOT, finished_video, job

Action = AuditRecord.Action
HOME = "203.0.113.7"


@pytest.fixture
def olga(client, django_user_model):  # type: ignore[no-untyped-def]
    operator = django_user_model.objects.create_superuser("olga", password="olga-password-1")
    client.force_login(operator)
    return operator


def act(client, page: str, action: str, *rows: object, **more: str) -> None:  # type: ignore[no-untyped-def]
    chosen = [row.pk for row in rows]  # type: ignore[attr-defined]
    posted = {"action": action, "_selected_action": chosen, **more}
    assert client.post(page, posted, REMOTE_ADDR=HOME, follow=True).status_code == 200


def trail() -> list[tuple[str, str]]:
    return [(r.action, r.target_id) for r in AuditRecord.objects.order_by("at", "id")]


@pytest.mark.django_db
def test_provider_and_catalog_changes_name_their_fields_never_their_values(client, olga):
    local = Provider.default()
    entry = local.catalog.get()
    catalog = {
        "catalog-TOTAL_FORMS": "1",
        "catalog-INITIAL_FORMS": "1",
        "catalog-0-id": str(entry.pk),
        "catalog-0-provider": str(local.pk),
        "catalog-0-name": entry.name,
        "catalog-0-sizes": entry.sizes,
        "catalog-0-seconds": entry.seconds,
        "catalog-0-price_per_second": "0.5",
    }
    form = {"name": "This machine", "kind": "local", "enabled": "on", **catalog}
    saved = client.post(f"/admin/remixer/provider/{local.pk}/change/", form, REMOTE_ADDR=HOME)
    assert saved.status_code == 302, saved.content.decode()
    provider = AuditRecord.objects.get(action=Action.PROVIDER_SAVED)
    assert (provider.user, provider.address, provider.target_id) == (olga, HOME, str(local.pk))
    assert provider.detail == {"added": False, "name": "This machine", "fields": ["name"]}
    changed = AuditRecord.objects.get(action=Action.CATALOG_SAVED)
    assert changed.target_id == str(entry.pk) and changed.detail["fields"] == ["price_per_second"]

    page = f"/admin/remixer/catalogentry/{entry.pk}/delete/"
    client.post(page, {"post": "yes"}, REMOTE_ADDR=HOME)
    assert not CatalogEntry.objects.filter(pk=entry.pk).exists()
    assert AuditRecord.objects.get(action=Action.CATALOG_DELETED).target_id == str(entry.pk)

    far = Provider.objects.create(name="Far", base_url="http://127.0.0.1:9", api_key="sk-hidden")
    act(client, "/admin/remixer/provider/", "delete_selected", far, post="yes")
    assert not Provider.objects.filter(pk=far.pk).exists()
    gone = AuditRecord.objects.get(action=Action.PROVIDER_DELETED)
    assert (gone.target_id, gone.detail["name"], gone.address) == (str(far.pk), "Far", HOME)
    assert "sk-hidden" not in str(list(AuditRecord.objects.values()))


@pytest.mark.django_db
def test_the_admin_s_actions_on_videos_and_keys_are_recorded(client, olga, ana, clip_path: Path):
    failed = job(ana, status=Video.Status.FAILED, error_code="x", error_message="It broke.")
    running = job(ana, status=Video.Status.IN_PROGRESS, progress=30)
    done = finished_video(ana, clip_path)
    videos = "/admin/remixer/video/"
    act(client, videos, "retry_videos", failed, done)
    act(client, videos, "cancel_videos", running, done)
    act(client, videos, "rearchive_videos", done)
    act(client, videos, "delete_selected", done, post="yes")
    act(client, videos, "empty_trash", done, failed, post="yes")
    key = ApiKey.issue(user=ana, name="script")[0]
    act(client, "/admin/remixer/apikey/", "revoke_keys", key)

    assert trail() == [
        (Action.VIDEOS_RETRIED, ""),
        (Action.VIDEOS_CANCELLED, ""),
        (Action.VIDEOS_REARCHIVED, ""),
        (Action.VIDEO_DELETED, done.pk),
        (Action.TRASH_EMPTIED, ""),
        (Action.KEY_REVOKED, str(key.pk)),
    ]
    records = list(AuditRecord.objects.order_by("at", "id"))
    assert {(r.user, r.address) for r in records} == {(olga, HOME)}
    assert records[0].detail == {"count": 1, "ids": [failed.pk]}
    assert records[1].detail == {"count": 1, "ids": [running.pk]}
    assert records[2].detail["ids"] == [done.pk]
    assert records[4].detail == {"count": 1, "ids": [done.pk], "kept": 0}
    assert records[5].detail["owner"] == "ana"


@pytest.mark.django_db
def test_the_trail_lists_filters_and_refuses_every_change(client, olga, ana, ben):
    old = timezone.now() - timedelta(days=400)
    signed = AuditRecord.objects.create(
        action=Action.SIGNED_IN, user=ana, username="ana", address=HOME
    )
    AuditRecord.objects.create(action=Action.KEY_MADE, user=ben, username="ben", at=old)
    AuditRecord.objects.create(action=Action.SIGN_IN_FAILED, username="nobody-real")
    listing = client.get("/admin/remixer/auditrecord/").content.decode()
    assert all(word in listing for word in ("ana", "ben", "nobody-real", HOME, "API key made"))
    assert "/admin/remixer/auditrecord/add/" not in listing
    assert 'name="action"' not in listing  # no delete_selected to pick

    def shown(query: str) -> list[str]:
        page = client.get(f"/admin/remixer/auditrecord/?{query}")
        return [str(record.username) for record in page.context["cl"].result_list]

    assert shown("action__exact=key_made") == ["ben"]
    assert shown(f"user__id__exact={ana.pk}") == ["ana"]
    assert shown(f"at__year={old.year}") == ["ben"]
    assert shown("q=nobody") == ["nobody-real"]

    change = f"/admin/remixer/auditrecord/{signed.pk}/change/"
    view = client.get(change)
    assert view.status_code == 200 and 'name="_save"' not in view.content.decode()
    assert client.post(change, {"username": "mallory"}).status_code == 403
    assert client.get("/admin/remixer/auditrecord/add/").status_code == 403
    assert client.post(f"/admin/remixer/auditrecord/{signed.pk}/delete/").status_code == 403
    assert AuditRecord.objects.get(pk=signed.pk).username == "ana"
    assert AuditRecord.objects.count() == 3


@pytest.mark.django_db
def test_the_sweep_removes_records_older_than_the_days_kept(settings, ana):
    settings.REMIXER_AUDIT_DAYS = 30
    now = timezone.now()
    old = AuditRecord.objects.create(action=Action.SIGNED_IN, user=ana, at=now - timedelta(31))
    kept = AuditRecord.objects.create(action=Action.SIGNED_IN, user=ana, at=now - timedelta(29))
    tasks.sweep()
    assert list(AuditRecord.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditRecord.objects.filter(pk=old.pk).exists()


@pytest.mark.database_free
@pytest.mark.parametrize("days", ["a year", "0"])
def test_a_bad_number_of_days_stops_the_start_in_words(days: str) -> None:
    env = os.environ | {"REMIXER_AUDIT_DAYS": days, "SECRET_KEY": "x", "ALLOWED_HOSTS": "x"}
    started = subprocess.run(
        [sys.executable, "-c", "import remixer.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0
    assert "REMIXER_AUDIT_DAYS: a whole number of days, 1 or more." in started.stderr
