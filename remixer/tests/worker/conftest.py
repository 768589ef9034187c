"""Real short-step workers with faults and deadlines of seconds, and jobs made through /v1."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from remixer.models import Video
from remixer.tests.conftest import start_process, stop_process, worker_args

FAULTS_IN_SECONDS = {
    "REMIXER_HTTP_TIMEOUT": "2",
    "REMIXER_RETRY_FIRST": "1",
    "REMIXER_RETRY_CEILING": "3",
    "REMIXER_LEASE_SECONDS": "6",
    "REMIXER_CALLS_PER_PROVIDER": "2",
}


@pytest.fixture
def short_workers(media_root: Path, tmp_path: Path) -> Iterator[Path]:
    """Three short-step workers, as `make run` starts them (it starts four)."""
    processes = [
        start_process(
            worker_args("default"), media_root, tmp_path / f"worker-{n}.log", **FAULTS_IN_SECONDS
        )
        for n in range(3)
    ]
    yield tmp_path
    for process in processes:
        stop_process(process)


def create(client, key: str, model: str) -> str:  # type: ignore[no-untyped-def]
    body = {"prompt": "a lighthouse in a storm", "model": model, "seconds": "4"}
    response = client.post("/v1/videos", body, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.content
    return str(response.json()["id"])


def unfinished(*video_ids: str | list[str]) -> bool:
    """Whether any of the videos (ids, or lists of them) has not ended yet."""
    ids = [one for each in video_ids for one in ([each] if isinstance(each, str) else each)]
    return Video.objects.filter(pk__in=ids).exclude(status__in=Video.TERMINAL).exists()
