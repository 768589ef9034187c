"""The /v1 tests' fixtures: API keys for ana and ben, and the official `openai` SDK's clients
against remixer on a live server."""

from collections.abc import Callable, Iterator

import pytest
from openai import OpenAI

from remixer.models import Provider
from remixer.models.accounts import ApiKey

POLL_MS = 200  # how often the SDK's pollers ask, in the tests that wait on a worker


@pytest.fixture
def key(ana) -> str:
    return ApiKey.issue(user=ana, name="tests")[1]


@pytest.fixture
def ben_key(ben) -> str:
    return ApiKey.issue(user=ben, name="tests")[1]


@pytest.fixture
def sdk_for(live_server) -> Iterator[Callable[..., OpenAI]]:
    """Clients for users; each is closed after the test, so no server thread keeps its
    keep-alive connection (and with it a database session) open."""
    clients: list[OpenAI] = []

    def make(user, key: str | None = None) -> OpenAI:
        key = key or ApiKey.issue(user=user, name="sdk")[1]
        clients.append(OpenAI(base_url=f"{live_server.url}/v1", api_key=key, max_retries=0))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def sdk(sdk_for, ana) -> OpenAI:
    Provider.default()  # a transactional test flushes the row the migration made
    return sdk_for(ana)
