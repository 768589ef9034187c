"""The inputs of exports: which videos to export, and what an export's sidecar may say."""

from typing import Any

from django import forms

from remixer.models import VIDEO_ID_PATTERN, Video
from remixer.models.exports import Export
from remixer.worker.exports import exportable

MAX_PICKED = 10000


class VideoIdsField(forms.MultipleChoiceField):
    """Ids of videos, checked against the database by the form, not listed as choices."""

    def valid_value(self, value: Any) -> bool:
        return bool(VIDEO_ID_PATTERN.fullmatch(str(value)))


class ExportForm(forms.Form):
    """What to export: the videos ticked, everything the user owns, or (staff) everything."""

    scope = forms.ChoiceField(
        choices=Export.Scope.choices,
        error_messages={"invalid_choice": "Choose what to export."},
    )
    v = VideoIdsField(
        required=False,
        error_messages={"invalid_choice": "%(value)s is not a video id."},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scope, picked = cleaned.get("scope"), cleaned.get("v") or []
        if scope == Export.Scope.ALL and not self.user.is_staff:
            raise forms.ValidationError("Only staff may export everything.")
        if len(picked) > MAX_PICKED:
            raise forms.ValidationError(f"Tick at most {MAX_PICKED} videos.")
        videos = exportable(Video.objects.all())
        if scope == Export.Scope.SELECTED:
            if not picked:
                raise forms.ValidationError("Tick the videos to export first.")
            videos = videos.filter(pk__in=picked)
        elif scope == Export.Scope.MINE:
            videos = videos.filter(owner=self.user)
        if scope and not videos.exists():
            raise forms.ValidationError("There is no finished video to export there.")
        cleaned["video_ids"] = sorted(picked) if scope == Export.Scope.SELECTED else []
        return cleaned
