"""Bad input everywhere: a clear 4xx, never a 5xx, and nothing in the database or on disk."""

import io
import uuid
from urllib.parse import quote

import pytest
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remixer.models import Video

pytestmark = pytest.mark.django_db
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="\u0000\u200b\ufeff<>\"'&%{}", max_size=40),
    st.sampled_from(["", " ", "4", "12", "1280x720", "remixer-local", "null", "-1", "9" * 40]),
    st.integers().map(str),
)


def state(media_root) -> tuple[int, int, list[object]]:  # type: ignore[no-untyped-def]
    files = sorted(p for p in media_root.rglob("*") if p.is_file())
    return Video.objects.count(), DBTaskResult.objects.count(), files


@EXAMPLES
@given(
    data=st.dictionaries(
        st.sampled_from(["prompt", "model", "size", "seconds", "form_token", "other"]), values
    )
)
def test_the_new_video_form_never_fails_on_anything(client, ana, media_root, data):
    client.force_login(ana)
    before = state(media_root)
    response = client.post("/videos/new", data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state(media_root) == before


@EXAMPLES
@given(prompt=values, token=values)
def test_the_remix_form_never_fails_on_anything(client, ana, source, media_root, prompt, token):
    client.force_login(ana)
    before = state(media_root)
    response = client.post(f"/videos/{source.pk}/remix", {"prompt": prompt, "form_token": token})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state(media_root) == before


@EXAMPLES
@given(identifier=st.text(min_size=1, max_size=600), query=values)
def test_any_id_or_query_gets_a_clear_answer(client, ana, source, identifier, query):
    client.force_login(ana)
    video = quote(identifier, safe="")
    for url in [
        f"/videos/{video}",
        f"/videos/{video}.json",
        f"/videos/{video}/status",
        f"/videos/{video}/content",
        f"/videos/{video}/preview",
    ]:
        assert client.get(url).status_code in (200, 204, 301, 404), url
    for url in [
        f"/videos/{video}/remix",
        f"/videos/{video}/retry",
        f"/videos/{video}/cancel",
        f"/videos/{video}/delete",
    ]:
        assert client.post(url, {"prompt": query}).status_code in (400, 403, 404), url
    asked = {"page": query, "q": query, "status": query, "mine": query}
    assert client.get("/", asked).status_code == 200
    assert client.get("/remix", asked, headers={"HX-Request": "true"}).status_code == 200
    assert client.get("/videos/live", {"id": [identifier, source.pk]}).status_code == 200
    assert client.get("/recipe", {"prompt": query}).status_code == 200
    response = client.get(f"/videos/{source.pk}/content", {"variant": query})
    assert response.status_code in (200, 404)
    ranged = client.get(f"/videos/{source.pk}/content", headers={"Range": f"bytes={query}"})
    assert ranged.status_code in (200, 206, 416)
    assert Video.objects.count() == 1


def test_oversized_bodies_are_refused(client, ana, source, media_root):
    client.force_login(ana)
    before = state(media_root)
    huge = client.post(
        f"/videos/{source.pk}/remix",
        {"prompt": "x" * (6 * 1024 * 1024), "form_token": str(uuid.uuid4())},
    )
    assert huge.status_code == 400
    many = client.post("/videos/new", {f"field{n}": "x" for n in range(2000)})
    assert many.status_code == 400
    assert state(media_root) == before


@EXAMPLES
@given(blob=st.binary(max_size=2000), sidecar=st.binary(max_size=200))
def test_imports_of_junk_change_nothing(client, ana, media_root, blob, sidecar):
    client.force_login(ana)
    before = state(media_root)
    video, side = io.BytesIO(blob), io.BytesIO(sidecar)
    video.name, side.name = "x.mp4", "x.json"
    response = client.post("/videos/import", {"video": video, "sidecar": side})
    assert response.status_code == 400
    assert state(media_root) == before
