"""Using remixer's pages as a person does: the new-video form through Django's test client,
a logged-in browser's cookies on a site that runs in its own process, and what a browser's
tab says and notifies."""

import re
import uuid

import requests


def new_video(client, **overrides):
    data = {
        "prompt": "sunset over the sea",
        "model": "remixer-local",
        "size": "1280x720",
        "seconds": "4",
        "form_token": str(uuid.uuid4()),
        **overrides,
    }
    return client.post("/videos/new", data)


def logged_in(server: str, username: str, password: str) -> dict[str, str | None]:
    """The cookies of a logged-in browser."""
    with requests.Session() as session:
        form = session.get(f"{server}/login", timeout=10).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        session.post(
            f"{server}/login",
            timeout=10,
            headers={"Referer": f"{server}/login"},
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        return session.cookies.get_dict()


# Notifications are allowed (the context grants them); each one made is noted, and so is each
# title the page gives its tab.
WATCH = """
(() => {
  window.shown = [];
  window.titles = [];
  const Shown = window.Notification;
  window.Notification = class extends Shown {
    constructor(title, options) {
      super(title, options);
      window.shown.push({ title, body: options.body });
    }
  };
  const title = Object.getOwnPropertyDescriptor(Document.prototype, "title");
  Object.defineProperty(Document.prototype, "title", {
    ...title,
    set(value) {
      window.titles.push(value);
      title.set.call(this, value);
    },
  });
})();
"""
