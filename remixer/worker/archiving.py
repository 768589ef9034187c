"""A finished job's files into remixer's storage: checked, completed, or nothing kept.

The video is decoded frame by frame, the thumbnail and spritesheet are made where the
provider had none, and the files are stored under their final names; only then does the
row become `completed` (unless the job was cancelled meanwhile).
"""

from django.utils import timezone

from remixer.files import storage
from remixer.lib import media
from remixer.models import Video
from remixer.providers import Assets, ProviderError
from remixer.worker import stills
from remixer.worker.leases import JobCancelled, mine

Status = Video.Status
Phase = Video.Phase


def archive(
    video: Video,
    assets: Assets,
    on_progress: media.Progress | None = None,
    *,
    kind: str | None = None,
) -> None:
    """Store the checked files and complete the video, unless it was cancelled meanwhile.

    `kind`, for an imported export: how the video was first made, which it is from now on."""
    files = checked_files(video, assets, on_progress)
    if kind is not None:
        files["kind"] = kind
    finished = (
        mine(video.pk)
        .filter(status=Status.IN_PROGRESS)
        .update(
            lease_owner="",
            lease_expires_at=None,
            status=Status.COMPLETED,
            progress=100,
            completed_at=timezone.now(),
            expires_at=None,
            phase=Phase.WAITING,
            retry_reason="",
            **files,
        )
    )
    if not finished:
        storage.delete_video_files(video.pk)
        raise JobCancelled(video.pk)


def checked_files(
    video: Video,
    assets: Assets,
    on_progress: media.Progress | None = None,
    *,
    replacing: bool = False,
) -> dict[str, object]:
    """Verify the video, make what the provider did not, store the files under their names."""
    probe = media.verify(assets.video, on_progress)
    if f"{probe.width}x{probe.height}" != video.size:
        raise ProviderError(
            "wrong_size",
            f"The provider made a {probe.width}x{probe.height} video, not {video.size}.",
        )
    thumbnail = assets.thumbnail or assets.video.with_name("thumbnail.webp")
    spritesheet = assets.spritesheet or assets.video.with_name("spritesheet.jpg")
    if assets.thumbnail is None:
        media.make_thumbnail(assets.video, thumbnail)
    if assets.spritesheet is None:
        media.make_spritesheet(assets.video, spritesheet)
    size, digest = media.size_and_sha256(assets.video)
    folder = f"videos/{video.pk}"
    names = {
        "video_file": f"{folder}/video.mp4",
        "thumbnail_file": f"{folder}/thumbnail.webp",
        "spritesheet_file": f"{folder}/spritesheet.jpg",
    }
    paths = {names["video_file"]: assets.video, names["thumbnail_file"]: thumbnail}
    paths[names["spritesheet_file"]] = spritesheet
    try:
        storage.save_all(paths, keep_on_failure=replacing)
    except storage.StorageError as error:
        message = f"The video could not be stored: {error}"
        raise ProviderError("storage_unavailable", message) from error
    stills.keep(video.pk, assets.video)  # for the remix form's preview; optional
    return {"file_size": size, "file_sha256": digest, **names}
