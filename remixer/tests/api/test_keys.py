"""Personal API keys: made on a page of one's own or from the shell, shown once, kept hashed."""

import datetime as dt
import hashlib
import io
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from remixer.models import LOCAL_MODEL, CatalogEntry, Provider
from remixer.models.accounts import ApiKey
from remixer.tests.conftest import ROOT, process_env

pytestmark = pytest.mark.django_db
KEY = re.compile(r"rmx_[A-Za-z0-9_-]{43}")


def make_key(client, name: str = "render farm") -> str:
    response = client.post("/keys", {"name": name})
    assert response.status_code == 200
    found = KEY.findall(response.content.decode())
    assert len(set(found)) == 1, found
    return found[0]


def api_get(client, key: str, path: str = "/v1/videos"):
    return client.get(path, headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def olga(django_user_model):
    return django_user_model.objects.create_superuser("olga", password="olga-password-1")


# The page -------------------------------------------------------------------------------------


def test_the_keys_page_needs_a_login_and_is_in_the_nav(client, ana):
    assert client.get("/keys")["Location"].startswith("/login")
    client.force_login(ana)
    page = client.get("/").content.decode()
    assert '<a href="/keys"' in page and "API keys" in page


def test_a_new_key_is_shown_once_with_a_snippet_and_kept_only_hashed(client, ana):
    client.force_login(ana)
    response = client.post("/keys", {"name": "render farm"})
    page = response.content.decode()
    secret = KEY.search(page).group()
    assert f'OpenAI(base_url="http://testserver/v1", api_key="{secret}")' in page
    assert "no-store" in response["Cache-Control"]
    stored = ApiKey.objects.get()
    assert (stored.user, stored.name) == (ana, "render farm")
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(stored.prefix) and len(stored.prefix) < len(secret) // 3
    row = " ".join(str(value) for value in ApiKey.objects.values().get().values())
    assert secret not in row
    again = client.get("/keys").content.decode()
    assert secret not in again and f"{stored.prefix}…" in again
    assert 'OpenAI(base_url="http://testserver/v1", api_key="YOUR_KEY")' in again


def test_a_key_needs_a_name(client, ana):
    client.force_login(ana)
    response = client.post("/keys", {"name": "  "})
    assert response.status_code == 400 and "Name the key." in response.content.decode()
    assert not ApiKey.objects.exists()


def test_a_key_from_the_page_opens_the_api_as_its_user(client, ana):
    client.force_login(ana)
    secret = make_key(client)
    client.logout()
    response = client.post(
        "/v1/videos",
        '{"prompt": "waves"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200
    assert ana.video_set.get().pk == response.json()["id"]


def test_each_person_sees_only_their_own_keys(client, ana, ben):
    ApiKey.issue(user=ben, name="ben's laptop")
    client.force_login(ana)
    make_key(client, "ana's script")
    page = client.get("/keys").content.decode()
    assert "ana&#x27;s script" in page and "ben&#x27;s laptop" not in page


def test_a_revoked_key_is_refused_at_once(client, ana):
    client.force_login(ana)
    secret = make_key(client)
    assert api_get(client, secret).status_code == 200
    key = ApiKey.objects.get()
    assert client.get(f"/keys/{key.pk}/revoke").status_code == 405
    response = client.post(f"/keys/{key.pk}/revoke")
    assert response.status_code == 302 and response["Location"] == "/keys"
    assert api_get(client, secret).status_code == 401
    assert "revoked" in client.get("/keys").content.decode()


def test_nobody_revokes_anothers_key(client, ana, ben):
    key, secret = ApiKey.issue(user=ana, name="mine")
    client.force_login(ben)
    assert client.post(f"/keys/{key.pk}/revoke").status_code == 404
    assert api_get(client, secret).status_code == 200


# Last use -------------------------------------------------------------------------------------


def key_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "apikey" in q["sql"]]


def test_the_last_use_is_recorded_at_most_once_a_minute(client, ana):
    key, secret = ApiKey.issue(user=ana, name="poller")
    with CaptureQueriesContext(connection) as first:
        api_get(client, secret)
    key.refresh_from_db()
    assert key.last_used_at is not None and len(key_writes(first)) == 1
    with CaptureQueriesContext(connection) as polls:
        for _ in range(5):
            api_get(client, secret)
    assert key_writes(polls) == []
    earlier = timezone.now() - dt.timedelta(minutes=2)
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=earlier)
    api_get(client, secret)
    key.refresh_from_db()
    assert key.last_used_at > earlier + dt.timedelta(minutes=1)


# From the shell -------------------------------------------------------------------------------


def test_the_command_prints_the_key_and_nothing_else(client, ana):
    out = io.StringIO()
    call_command("create_api_key", "ana", "--name", "ci", stdout=out)
    secret = out.getvalue().strip()
    assert KEY.fullmatch(secret) and out.getvalue() == secret + "\n"
    assert ApiKey.objects.get().name == "ci"
    assert api_get(client, secret).status_code == 200


def test_the_command_refuses_an_unknown_or_deactivated_user(ana):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("create_api_key", "nobody")
    ana.is_active = False
    ana.save()
    with pytest.raises(CommandError, match="deactivated"):
        call_command("create_api_key", "ana")
    assert not ApiKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_command_in_a_real_shell_writes_only_the_key_to_stdout(client, ana, media_root):
    result = subprocess.run(
        [sys.executable, "manage.py", "create_api_key", "ana", "--name", "nightly"],
        cwd=ROOT,
        env={"ALLOWED_HOSTS": "localhost", **process_env(media_root)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert KEY.fullmatch(result.stdout.removesuffix("\n")), result.stdout
    assert api_get(client, result.stdout.strip()).status_code == 200


# The admin ------------------------------------------------------------------------------------


def test_staff_see_every_key_but_never_a_secret(client, ana, ben, olga):
    ana_key, ana_secret = ApiKey.issue(user=ana, name="ana's farm")
    ApiKey.issue(user=ben, name="ben's laptop")
    client.force_login(olga)
    listing = client.get("/admin/remixer/apikey/").content.decode()
    assert "ana&#x27;s farm" in listing and "ben&#x27;s laptop" in listing
    assert ana_key.prefix in listing and ana_secret not in listing
    assert ana_key.digest not in listing
    assert "/admin/remixer/apikey/add/" not in listing
    found = client.get("/admin/remixer/apikey/", {"q": "ben"}).content.decode()
    assert "ben&#x27;s laptop" in found and "ana&#x27;s farm" not in found
    detail = client.get(f"/admin/remixer/apikey/{ana_key.pk}/change/").content.decode()
    assert ana_secret not in detail and ana_key.digest not in detail


def test_staff_revoke_keys_in_the_admin(client, ana, olga):
    key, secret = ApiKey.issue(user=ana, name="leaked")
    client.force_login(olga)
    client.post("/admin/remixer/apikey/", {"action": "revoke_keys", "_selected_action": [key.pk]})
    assert api_get(client, secret).status_code == 401


def test_an_administrator_gives_a_catalog_entry_aliases(client, olga):
    entry = CatalogEntry.objects.get(name=LOCAL_MODEL)
    client.force_login(olga)
    provider_page = client.get(f"/admin/remixer/provider/{entry.provider_id}/change/")
    assert 'name="catalog-0-aliases"' in provider_page.content.decode()
    form = {
        "provider": entry.provider_id,
        "name": LOCAL_MODEL,
        "aliases": "sora-2, sora-2-pro",
        "sizes": entry.sizes,
        "seconds": entry.seconds,
        "price_per_second": "0",
    }
    response = client.post(f"/admin/remixer/catalogentry/{entry.pk}/change/", form)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.alias_list == ["sora-2", "sora-2-pro"]


def test_an_alias_that_names_another_model_is_refused(client, olga):
    gateway = Provider.objects.create(name="Gateway", base_url="http://127.0.0.1:9/v1")
    CatalogEntry.objects.create(provider=gateway, name="sora-2", aliases="sora-2-pro")
    entry = CatalogEntry.objects.get(name=LOCAL_MODEL)
    client.force_login(olga)
    form = {
        "provider": entry.provider_id,
        "name": LOCAL_MODEL,
        "aliases": "sora-2-pro, sora-2, remix",
        "sizes": entry.sizes,
        "seconds": entry.seconds,
        "price_per_second": "0",
    }
    response = client.post(f"/admin/remixer/catalogentry/{entry.pk}/change/", form)
    assert response.status_code == 200
    assert "Another model already answers to sora-2, sora-2-pro." in response.content.decode()
    entry.refresh_from_db()
    assert entry.aliases == ""
