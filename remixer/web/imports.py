"""The Import page: one MP4 becomes an import job, a remixer export's ZIP one job a video."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from remixer.actions import imports, jobs
from remixer.actions.errors import NotAllowed
from remixer.forms.imports import ImportForm
from remixer.models import ExportImport, Video
from remixer.web.htmx import HtmxHttpRequest
from remixer.web.roles import makers_only

LISTED = 12  # the videos an export's notice links to; the rest are at the top of the library


@dataclass(frozen=True)
class ExportArrivals:
    """An export given to the Import page and its videos in the library so far: the latest
    `LISTED` of them, and how many more."""

    export: ExportImport
    videos: list[Video]
    more: int

    @property
    def count(self) -> int:
        return len(self.videos) + self.more

    @property
    def settled(self) -> bool:
        """Nothing left to follow: its ZIP is read and the videos it lists are checked."""
        return self.export.is_finished and all(video.is_finished for video in self.videos)


@require_http_methods(["GET", "POST"])
@makers_only
def video_import(request: HtmxHttpRequest) -> HttpResponse:
    """The page; polled through htmx, its list of exports alone while one is followed."""
    if request.method == "GET" and request.htmx and not request.htmx.history_restore_request:
        response = render(request, "imports/index.html#export-imports", followed(request.user))
        patch_vary_headers(response, ["HX-Request"])
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.is_export:
        return export_imported(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            video = jobs.submit(form.spec(owner=request.user))
        except NotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Uploaded: remixer is checking it frame by frame.")
            return redirect(video)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "limit": settings.REMIXER_MAX_ACTIVE_JOBS} | followed(request.user)
    response = render(request, "imports/index.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def followed(user: Any) -> dict[str, Any]:
    """The person's latest exports given to this page, each with the videos it brought in,
    and whether the page should keep asking (a ZIP being read, a video being checked)."""
    exports = [arrivals(export) for export in imports.recent_export_imports(user)]
    return {"exports": exports, "following": not all(found.settled for found in exports)}


def arrivals(export: ExportImport) -> ExportArrivals:
    if not export.placed:
        return ExportArrivals(export, [], 0)
    found = export.arrived()
    videos = list(found[:LISTED])
    return ExportArrivals(export, videos, found.count() - LISTED if len(videos) == LISTED else 0)


def export_imported(request: HtmxHttpRequest, form: ImportForm) -> HttpResponse:
    """The export's ZIP is stored; a worker makes its videos import jobs as there is room."""
    imports.receive_export(
        form.cleaned_data["video"],
        importer=request.user,
        token=form.cleaned_data["form_token"],
        operator=request.user.is_staff,
    )
    messages.success(
        request,
        "Uploaded the export: a worker reads it and makes each of its videos an import job, "
        "checked frame by frame. They are listed below as they arrive.",
    )
    return redirect("video_import")
