"""Files in a bucket for the tests: the bucket on moto's S3 server and the variables that
point remixer at it, and reading stored files from whichever storage holds them."""

import urllib.request
import uuid
from pathlib import Path

from remixer.files import storage

S3_KEYS = {
    "AWS_ACCESS_KEY_ID": "remixer-test",
    "AWS_SECRET_ACCESS_KEY": "remixer-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


class Bucket:
    """A bucket on the test S3 server, and the variables that point remixer at it."""

    def __init__(self, endpoint: str) -> None:
        import boto3

        self.name, self.endpoint, self.prefix = (
            f"remixer-{uuid.uuid4().hex[:12]}",
            endpoint,
            "media",
        )
        self.client = boto3.client("s3", endpoint_url=endpoint, **s3_credentials())
        self.client.create_bucket(Bucket=self.name)

    def environ(self, endpoint: str | None = None) -> dict[str, str]:
        return {
            **S3_KEYS,
            "REMIXER_S3_BUCKET": self.name,
            "REMIXER_S3_ENDPOINT_URL": endpoint or self.endpoint,
            "REMIXER_S3_PREFIX": self.prefix,
        }

    def names(self) -> list[str]:
        found = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return sorted(item["Key"].removeprefix(f"{self.prefix}/") for item in found)

    def body(self, name: str) -> bytes:
        answer = self.client.get_object(Bucket=self.name, Key=f"{self.prefix}/{name}")
        return bytes(answer["Body"].read())

    def uploads(self) -> list[object]:
        return list(self.client.list_multipart_uploads(Bucket=self.name).get("Uploads", []))


def s3_credentials() -> dict[str, str]:
    return {
        "aws_access_key_id": S3_KEYS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        "region_name": S3_KEYS["AWS_DEFAULT_REGION"],
    }


def use_bucket(settings, monkeypatch, bucket: Bucket, endpoint: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Point this process, and the processes the test starts, at the bucket."""
    from remixer.settings import s3_storage

    for name, value in bucket.environ(endpoint).items():
        monkeypatch.setenv(name, value)
    settings.REMIXER_S3_BUCKET = bucket.name
    settings.REMIXER_S3_ENDPOINT_URL = endpoint or bucket.endpoint
    settings.REMIXER_S3_PREFIX = bucket.prefix
    default = s3_storage(bucket.name, endpoint or bucket.endpoint, bucket.prefix)
    settings.STORAGES = {**settings.STORAGES, "default": default}


def stored_bytes(field) -> bytes:  # type: ignore[no-untyped-def]
    """A stored file's bytes, from whichever storage holds it."""
    return b"".join(storage.chunks(str(field)))


def stored_copy(field, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    """A local file with a stored file's bytes, for PyAV and Pillow."""
    folder.mkdir(parents=True, exist_ok=True)
    return storage.fetch(str(field), folder / Path(str(field)).name)


def served_bytes(client, url: str, headers: dict[str, str] | None = None) -> bytes:  # type: ignore[no-untyped-def]
    """What a browser gets for a file URL: the answer, or where its redirect leads."""
    response = client.get(url, headers=headers or {})
    if response.status_code == 302 and response["Location"].startswith("http"):
        request = urllib.request.Request(response["Location"], headers=headers or {})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return bytes(answer.read())
    assert response.status_code in (200, 206), response.status_code
    return b"".join(response.streaming_content)
