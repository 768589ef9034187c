"""A real HTTP and WebSocket server on 127.0.0.1 that speaks ComfyUI's protocol, for tests.

It stands in for a ComfyUI 0.3.64 (shared/docs/COMFYUI.md; payloads checked against its
source): workflows in API format are validated as ComfyUI validates them, queued, and run one
at a time in a worker thread, node by node and for real (PyAV and numpy: LoadVideo,
GetVideoComponents, CreateVideo, SaveVideo, LoadImage, EmptyImage, ImageInvert, ImageBlur,
ImageScale, RepeatImageBatch, the primitives, CLIPTextEncode, SaveImage). Events go to the
sockets of `/ws?clientId=` on the same port, in ComfyUI's order; the history, the queue and
the cache of identical inputs live in memory, so a restart forgets them.

    with serve(node_seconds=0.05) as server:
        requests.post(f"{server.url}/upload/image", files={"image": ("in.mp4", mp4)}, ...)
        socket = websockets.sync.client.connect(server.ws_url("remixer-1"))
        requests.post(f"{server.url}/prompt", json={"prompt": workflow, "client_id": "remixer-1"})
        ...
        assert server.count("POST", "/prompt") == 1

What a test can make it do, each a line:

    server.set(job_seconds=2)                      # slow jobs, to interrupt or reconnect
    server.set(fail_node_class="ImageBlur")        # execution_error in that node
    server.queue_other()                           # someone else's job ahead in the queue
    server.hang_next(1, seconds=10, path_prefix="/prompt")   # no answer (the job is queued)
    server.fail_next(3, status=500)                # errors, then recovery
    server.drop_sockets()                          # every WebSocket cut
    server.stop(); ...; server.start()             # refused, then back on the same port with
                                                   # every job forgotten (files stay)

Its modules: `server` (the server a test holds, and `serve`), `knobs`, `faults`, `plumbing`
(the HTTP server) and `sockets` (the WebSocket side: why it shares the port, the hub),
`routes` (what each route answers), `validation`, `jobs` (queue and history), `executor` (the
worker, events, cache), `catalog`, `node_types`, `image_nodes` and `video_nodes` (the nodes),
and `folders` (input, output and temp folders).
"""

from remixer.tests.support.comfyui_server.catalog import NODE_TYPES, object_info
from remixer.tests.support.comfyui_server.faults import ComfyFault
from remixer.tests.support.comfyui_server.knobs import ComfyKnobs
from remixer.tests.support.comfyui_server.server import ComfyRequest, ComfyUIServer, serve

__all__ = [
    "NODE_TYPES",
    "ComfyUIServer",
    "ComfyFault",
    "ComfyKnobs",
    "ComfyRequest",
    "object_info",
    "serve",
]
