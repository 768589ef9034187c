"""Setting an HTTP provider up: the connection check learns what the server can do, the
environment can define it, and remixer's pages never call it."""

import pytest
from django_tasks_db.models import DBTaskResult

from remixer.actions.providers import check_connection, provider_from_environment
from remixer.models import Provider
from remixer.tests.support.provider_jobs import create, provider_for
from remixer.tests.support.videos_api_server import VideosAPIServer

pytestmark = pytest.mark.django_db


def test_the_page_never_calls_the_provider(client, ana, api):
    provider_for(api)
    client.force_login(ana)
    video = create(client)
    before = len(api.requests)
    for _ in range(5):
        client.get(f"/videos/{video.pk}/status")
        client.get(video.get_absolute_url())
    assert len(api.requests) == before == 0
    assert DBTaskResult.objects.count() == 1


def test_test_connection_learns_what_it_can(api):
    provider = provider_for(api)
    passed, said = check_connection(provider)
    assert passed and said.startswith("The server answers and accepts the key. Remixing: ")
    provider.refresh_from_db()
    assert provider.can_list is True and provider.checked_at is not None
    Provider.objects.filter(pk=provider.pk).update(api_key="wrong")
    provider.refresh_from_db()
    assert check_connection(provider) == (False, "The server answers but refuses the key.")
    with VideosAPIServer("litellm") as gateway:
        other = provider_for(gateway)
        check_connection(other)
        other.refresh_from_db()
        assert other.can_list is False


@pytest.mark.parametrize(
    "server",
    [
        {"framework": "starlette", "missing_routes": {"list": 404, "retrieve": 404}},
        {"framework": "gin", "missing_routes": {"list": 404, "retrieve": 404}},
        {"framework": "openai", "missing_routes": {"list": 404, "retrieve": 404}},
    ],
)
def test_test_connection_fails_where_every_path_answers_404(server):
    with VideosAPIServer("openai", **server) as nowhere:
        provider = provider_for(nowhere)
        passed, said = check_connection(provider)
    assert not passed and said.startswith("The server answers, but not as a Videos API:")
    assert "HTTP 404" in said and "Check the base URL" in said


def test_a_provider_can_be_defined_by_environment_variables(api):
    environ = {
        "REMIXER_PROVIDER_URL": api.url,
        "REMIXER_PROVIDER_KEY": "test-key",
        "REMIXER_PROVIDER_NAME": "Studio GPU",
        "REMIXER_PROVIDER_MODELS": "sora-2, sora-2-pro",
    }
    provider = provider_from_environment(environ)
    again = provider_from_environment({**environ, "REMIXER_PROVIDER_KEY": "new-key"})
    assert provider.pk == again.pk and again.api_key == "new-key"
    assert sorted(again.catalog.values_list("name", flat=True)) == ["sora-2", "sora-2-pro"]
