"""A real HTTP server on 127.0.0.1 that speaks the OpenAI Videos API, for tests.

It stands in for the servers remixer's HTTP provider drives: OpenAI itself and the servers
that copy its API with deviations (see shared/docs/VIDEOS_API.md). A *behaviour* is a small
preset of those deviations; *knobs* tune it and can change while it runs; *faults* make the
next few matching requests misbehave (5xx, 429, hangs, dropped connections, bad JSON).

Jobs progress on the clock, not on polls, and every request is recorded so a test can assert
how many times a create was sent. Downloads are real files: an H.264 MP4 from remixer's own
engine, a WebP thumbnail and a JPEG spritesheet.

    with serve(behaviour="litellm", job_seconds=0.2) as server:
        client = OpenAI(base_url=server.url, api_key=server.knobs.api_key)
        ...
        assert server.count("POST", "/v1/videos") == 1

The faults a server shows in the wild, each a line of a test:

    server.hang_next(10_000, seconds=60, method="GET")   # hangs on every status call
    server.stop(); ...; server.start()                   # gone (connections refused), back
                                                         # on the same port, its jobs forgotten
    server.malformed_json_next(100, method="GET")        # garbage JSON
    VideosAPIServer("webpage")                           # content that is an HTML page
    VideosAPIServer("openai", expires_in=-7200)          # expires_at in the past
    server.fail_next(30, status=503)                     # a 500 storm, then recovery

Its modules: `server` (the server a test holds, and `serve`), `behaviours` (the presets and
the knobs), `routes` and `endpoints` (what each request answers), `validation`, `bodies`,
`jobs` and `presenting` (fields in, jobs kept, Video objects out), `media` (the files it
makes), `faults`, `answers` (error envelopes) and `plumbing` (the HTTP server itself).
"""

from remixer.tests.support.videos_api_server.answers import (
    Answer,
    JSONDict,
    ServerError,
    framework_answer,
    json_answer,
)
from remixer.tests.support.videos_api_server.behaviours import BEHAVIOURS, Behaviour, Knobs
from remixer.tests.support.videos_api_server.bodies import Upload, parse_multipart
from remixer.tests.support.videos_api_server.faults import Fault
from remixer.tests.support.videos_api_server.jobs import QUEUED_SHARE, ServerJob, litellm_id
from remixer.tests.support.videos_api_server.media import MEDIA, RENDER_PROMPT, WEBPAGE
from remixer.tests.support.videos_api_server.presenting import EXTRAS, MODERATION_ERROR
from remixer.tests.support.videos_api_server.routes import ROUTES, match_route, openapi_document
from remixer.tests.support.videos_api_server.server import RecordedRequest, VideosAPIServer, serve
from remixer.tests.support.videos_api_server.validation import (
    EXTEND_SECONDS,
    MAX_PROMPT,
    SECONDS,
    SIZES,
)

__all__ = [
    "BEHAVIOURS",
    "EXTEND_SECONDS",
    "EXTRAS",
    "MAX_PROMPT",
    "MEDIA",
    "MODERATION_ERROR",
    "QUEUED_SHARE",
    "RENDER_PROMPT",
    "ROUTES",
    "SECONDS",
    "SIZES",
    "WEBPAGE",
    "Answer",
    "ServerError",
    "Behaviour",
    "Fault",
    "JSONDict",
    "ServerJob",
    "Knobs",
    "RecordedRequest",
    "Upload",
    "VideosAPIServer",
    "framework_answer",
    "json_answer",
    "litellm_id",
    "match_route",
    "openapi_document",
    "parse_multipart",
    "serve",
]
