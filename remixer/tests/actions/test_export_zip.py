"""The export's ZIP as the writer makes it: parents before their remixes, ZIP64 records where
they are needed, and the same ZIP from the command."""

import struct
import zipfile
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from remixer.models import Video
from remixer.tests.conftest import finished_video
from remixer.tests.support.export_zips import contents, export_to
from remixer.worker import exports

pytestmark = pytest.mark.django_db


def zip64_fields(raw: bytes, info: zipfile.ZipInfo) -> bool:
    """Whether the entry's local header carries the ZIP64 extended information field."""
    header = raw[info.header_offset : info.header_offset + 30]
    assert header[:4] == b"PK\x03\x04"
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    extra = raw[info.header_offset + 30 + name_length :][:extra_length]
    while len(extra) >= 4:
        field, length = struct.unpack("<HH", extra[:4])
        if field == 0x0001:
            return True
        extra = extra[4 + length :]
    return False


def test_the_writer_writes_zip64_records(family, tmp_path, monkeypatch):
    told: list[tuple[int, int]] = []
    progress = lambda done, total: told.append((done, total))  # noqa: E731
    forced = export_to(tmp_path / "forced.zip", force_zip64=True, on_progress=progress)
    total = sum(family[name].file_size for name in ("waves", "sepia", "mirrored"))
    assert len(told) > 3 and told[-1] == (total, total)  # told as the bytes go, chunk by chunk
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    raw = forced.read_bytes()
    with zipfile.ZipFile(forced) as archive:
        files = [i for i in archive.infolist() if i.filename.endswith((".mp4", ".webp"))]
        assert len(files) == 6 and all(zip64_fields(raw, info) for info in files)
    assert contents(forced) == contents(export_to(tmp_path / "plain.zip"))
    # As if every file were past 4 GiB: ZIP64 sizes in the central directory, and the
    # ZIP64 end of central directory record and its locator.
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1000)
    large = export_to(tmp_path / "large.zip")
    raw = large.read_bytes()
    assert b"PK\x06\x06" in raw and b"PK\x06\x07" in raw
    monkeypatch.undo()
    with zipfile.ZipFile(large) as archive:
        assert archive.testzip() is None
        assert any(b"\x01\x00" in info.extra[:2] for info in archive.infolist())
    assert contents(large) == contents(forced)


def test_the_command_writes_the_same_zip(family, tmp_path, capsys):
    path = tmp_path / "ana.zip"
    call_command("export_videos", str(path), "--owner", "ana")
    assert "Wrote 2 videos" in capsys.readouterr().out
    found = contents(path)
    assert list(found) == [family["waves"].pk, family["mirrored"].pk]
    assert found[family["waves"].pk]["sha256"] == family["waves"].file_sha256
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("export_videos", str(path), "--owner", "nobody")


def test_parents_come_first_whatever_their_times(ana, clips, tmp_path):
    child = finished_video(ana, clips[0])
    parent = finished_video(ana, clips[1], created_at=child.created_at + timedelta(hours=1))
    Video.objects.filter(pk=child.pk).update(remixed_from=parent, remixed_from_video_id=parent.pk)
    ordered = exports.parents_first(Video.objects.all())
    assert [v.pk for v in ordered] == [parent.pk, child.pk]
