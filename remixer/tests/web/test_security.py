"""Nobody in: settings that refuse to start unsafely, headers, throttled logins, the access
matrix, and uploads that cannot hurt."""

import io
import os
import re
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.utils import timezone
from PIL import Image

from remixer import tasks
from remixer.models import LOCAL_MODEL, Video
from remixer.models.accounts import LoginFailure
from remixer.tests.conftest import ROOT, finished_video, video_row

TEMPLATES = ROOT / "templates"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "REMIXER_DATA_DIR",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "REMIXER_DATA_DIR": env.pop("REMIXER_DATA_DIR"), **env},
        timeout=120,
    )


def test_without_debug_it_refuses_to_start_without_a_key_or_hosts(tmp_path):
    no_key = manage("check", REMIXER_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="example.com")
    assert no_key.returncode != 0 and "Set SECRET_KEY" in no_key.stderr
    no_hosts = manage("check", REMIXER_DATA_DIR=str(tmp_path), SECRET_KEY="k" * 60)
    assert no_hosts.returncode != 0 and "Set ALLOWED_HOSTS" in no_hosts.stderr


def test_the_documented_production_settings_pass_check_deploy(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        REMIXER_DATA_DIR=str(tmp_path),
        SECRET_KEY="x7-" + uuid.uuid4().hex + uuid.uuid4().hex,
        ALLOWED_HOSTS="remixer.example.com",
        REMIXER_BEHIND_HTTPS="1",
        CSRF_TRUSTED_ORIGINS="https://remixer.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_templates_hold_no_inline_script_or_style():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert " style=" not in text and "<style" not in text, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\bon[a-z]+=", text), path


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client, ana, source):
    client.force_login(ana)
    for url in ["/", source.get_absolute_url(), "/login"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
    page = client.get("/").content.decode()
    assert '"allowEval": false' in page and '"includeIndicatorStyles": false' in page


def login_attempt(server: str, username: str, password: str) -> requests.Response:
    """A login from a new connection, as a browser would send it, to whichever process."""
    with requests.Session() as session:
        form = session.get(f"{server}/login", timeout=10).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        return session.post(
            f"{server}/login",
            timeout=10,
            allow_redirects=False,
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{server}/login"},
        )


@pytest.mark.django_db(transaction=True)
def test_repeated_failures_lock_the_account_across_web_processes(server, ana, ben):
    assert login_attempt(server, "ana", "ana-password-1").status_code == 302
    for _ in range(5):
        refused = login_attempt(server, "ana", "wrong")
        assert refused.status_code == 200 and "Please enter a correct username" in refused.text
    locked = login_attempt(server, "ana", "ana-password-1")
    assert locked.status_code == 200 and "Too many failed attempts" in locked.text
    for number in range(10):
        login_attempt(server, f"nobody{number}", "guess")
    # Guesses at made-up names from the same address lock no real account.
    assert login_attempt(server, "ben", "ben-password-1").status_code == 302


def log_in(client, username: str, password: str, forwarded: str = ""):  # type: ignore[no-untyped-def]
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/login", {"username": username, "password": password}, headers=headers)


@pytest.mark.django_db
def test_a_flood_from_one_address_waits_with_429_and_retry_after(client, ana, settings):
    settings.LOGIN_FLOOD_FAILURES = 4
    for number in range(4):
        assert log_in(client, f"guess{number}", "x").status_code == 200
    flooded = log_in(client, "ana", "ana-password-1")
    assert flooded.status_code == 429
    assert 1 <= int(flooded["Retry-After"]) <= settings.LOGIN_FLOOD_SECONDS
    assert "Try again in" in flooded.content.decode()
    admin_login = client.post("/admin/login/", {"username": "ana", "password": "x"})
    assert admin_login.status_code == 429 and admin_login["Retry-After"]
    assert client.get("/login").status_code == 200  # the page itself still shows
    assert LoginFailure.objects.count() == 4  # a refused flood is not counted again


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, ana, settings):
    settings.REMIXER_TRUSTED_PROXIES = ["127.0.0.0/8"]
    for _ in range(5):
        log_in(client, "ana", "wrong", forwarded="203.0.113.9, 198.51.100.7")
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"198.51.100.7"}
    locked = log_in(client, "ana", "ana-password-1", forwarded="198.51.100.7")
    assert "Too many failed attempts" in locked.content.decode()
    assert log_in(client, "ana", "ana-password-1", forwarded="198.51.100.8").status_code == 302


@pytest.mark.django_db
def test_an_untrusted_peer_cannot_name_another_address(client, ana):
    for number in range(5):
        log_in(client, "ana", "wrong", forwarded=f"198.51.100.{number}")
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"127.0.0.1"}
    locked = log_in(client, "ana", "ana-password-1", forwarded="198.51.100.99")
    assert "Too many failed attempts" in locked.content.decode()


@pytest.mark.django_db
def test_failures_from_many_addresses_lock_the_account_everywhere(client, ana, settings):
    settings.REMIXER_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.LOGIN_FAILURES_PER_ACCOUNT = 6
    for number in range(6):
        log_in(client, "ANA", "wrong", forwarded=f"198.51.100.{number}")
    locked = log_in(client, "ana", "ana-password-1", forwarded="192.0.2.1")
    assert "Too many failed attempts" in locked.content.decode()


@pytest.mark.django_db
def test_the_sweep_forgets_failures_no_window_counts_any_more(client, ana):
    for _ in range(3):
        log_in(client, "ana", "wrong")
    LoginFailure.objects.filter(pk=LoginFailure.objects.first().pk).update(
        failed_at=timezone.now() - timedelta(minutes=16)  # past the 15 minutes' lock
    )
    tasks.sweep()
    assert LoginFailure.objects.count() == 2


# The access matrix: who may do what to a video that ana owns.
VIEW = ["", ".json", "/status", "/content", "/content?variant=thumbnail"]
CHANGE = ["/retry", "/cancel", "/delete"]


@pytest.fixture
def owned(ana, clip_path) -> dict[str, Video]:
    return {
        "completed": finished_video(ana, clip_path),
        "failed": video_row(ana, prompt="x", status="failed", error_message="boom"),
        "running": video_row(ana, prompt="y", status="in_progress"),
    }


@pytest.mark.django_db
def test_anonymous_gets_the_login_page_everywhere(client, owned):
    for video in owned.values():
        for suffix in VIEW:
            response = client.get(f"/videos/{video.pk}{suffix}")
            assert response.status_code == 302 and response["Location"].startswith("/login")
        for suffix in [*CHANGE, "/remix"]:
            response = client.post(f"/videos/{video.pk}{suffix}")
            assert response.status_code == 302 and response["Location"].startswith("/login")
    assert Video.objects.count() == 3


@pytest.mark.django_db
def test_a_teammate_views_and_remixes_but_changes_nothing_of_anothers(client, ben, owned):
    client.force_login(ben)
    video = owned["completed"]
    for suffix in VIEW:
        assert client.get(f"/videos/{video.pk}{suffix}").status_code in (200, 404), suffix
    assert client.get(f"/videos/{video.pk}/content").status_code == 200
    for name, target in owned.items():
        for suffix in CHANGE:
            assert client.post(f"/videos/{target.pk}{suffix}").status_code == 403, (name, suffix)
    response = client.post(
        f"/videos/{video.pk}/remix", {"prompt": "sepia", "form_token": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    assert Video.objects.filter(owner=ben).count() == 1 and Video.objects.count() == 4
    assert {v.status for v in Video.objects.filter(owner__username="ana")} == {
        "completed",
        "failed",
        "in_progress",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ana", "sam"])
def test_the_owner_and_staff_may_retry_cancel_and_delete(client, owned, ana, staff, who):
    client.force_login(ana if who == "ana" else staff)
    retry = {"form_token": str(uuid.uuid4())}
    assert client.post(f"/videos/{owned['failed'].pk}/retry", retry).status_code == 302
    assert client.post(f"/videos/{owned['running'].pk}/cancel").status_code == 302
    assert client.post(f"/videos/{owned['completed'].pk}/delete").status_code == 302
    assert not Video.objects.in_library().filter(pk=owned["completed"].pk).exists()


def post_reference(client, image):  # type: ignore[no-untyped-def]
    """The new-video form with this reference image, otherwise valid."""
    return client.post(
        "/videos/new",
        {
            "prompt": "a sea",
            "model": LOCAL_MODEL,
            "size": "1280x720",
            "seconds": "4",
            "form_token": str(uuid.uuid4()),
            "reference_image": image,
        },
    )


def png(width: int, height: int, mode: str = "RGB") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new(mode, (width, height)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "picture.png"
    return buffer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: png(20000, 20000, "1"), "may have at most"),  # a decompression bomb
        (lambda: png(5000, 4000, "1"), "may have at most"),
        (lambda: io.BytesIO(b"GIF89a" + b"\0" * 100), "not an image remixer can read"),
    ],
)
def test_hostile_reference_images_are_refused_before_decoding(client, ana, upload, message):
    client.force_login(ana)
    image = upload()
    image.name = getattr(image, "name", "x.gif")
    response = post_reference(client, image)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_a_gif_is_refused_by_its_bytes(client, ana):
    client.force_login(ana)
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="GIF")
    buffer.seek(0)
    buffer.name = "looks-like.png"
    response = post_reference(client, buffer)
    assert "The reference must be a JPEG, PNG or WebP image." in response.content.decode()


@pytest.mark.django_db
def test_reference_images_lose_their_metadata(client, ana):
    client.force_login(ana)
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {1: "N"}  # GPS
    exif[0x010F] = "SecretCam"
    Image.new("RGB", (64, 36), (10, 200, 10)).save(buffer, format="JPEG", exif=exif)
    buffer.seek(0)
    buffer.name = "holiday.jpg"
    post_reference(client, buffer)
    stored = Path(Video.objects.get().reference_image.path)
    assert b"SecretCam" not in stored.read_bytes()
    with Image.open(stored) as image:
        assert not image.getexif()
