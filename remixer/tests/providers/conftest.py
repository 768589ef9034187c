"""The providers' fixtures: Videos API stand-ins on loopback.

`server` here is a stand-in with its defaults, not remixer's own site (the root conftest's
`server`): no test in this folder starts the site."""

from collections.abc import Iterator

import pytest

from remixer.tests.support.videos_api_server import VideosAPIServer, serve


@pytest.fixture
def server() -> Iterator[VideosAPIServer]:
    with serve() as running:
        yield running


@pytest.fixture
def api() -> Iterator[VideosAPIServer]:
    """A stand-in for OpenAI whose jobs take 0.6 s, for remixer's HTTP provider to drive."""
    with VideosAPIServer("openai", job_seconds=0.6) as server:
        yield server
