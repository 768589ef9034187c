"""A video's family: the root it descends from and every remix, extension and edit below,
read by one recursive query on SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from remixer.lib.words import Token, word_diff
from remixer.models import Video

# Far deeper than any family grows; it only stops a broken chain from walking forever.
MAX_DEPTH = 200


def family_sql() -> str:
    """Up `remixed_from_id` to the root, then down from the root, with each row's owner."""
    videos = Video._meta.db_table
    users = get_user_model()._meta.db_table
    return f"""
        WITH RECURSIVE up(id, parent_id, depth) AS (
            SELECT id, remixed_from_id, 0 FROM {videos} WHERE id = %s
            UNION ALL
            SELECT v.id, v.remixed_from_id, up.depth + 1
            FROM {videos} v JOIN up ON v.id = up.parent_id
            WHERE up.depth < {MAX_DEPTH}
        ),
        down(id, depth) AS (
            SELECT id, 0 FROM up WHERE parent_id IS NULL OR depth = {MAX_DEPTH}
            UNION ALL
            SELECT v.id, down.depth + 1
            FROM {videos} v JOIN down ON v.remixed_from_id = down.id
            WHERE down.depth < {MAX_DEPTH}
        )
        SELECT v.*, u.{get_user_model().USERNAME_FIELD} AS owner_name, down.depth AS depth
        FROM down
        JOIN {videos} v ON v.id = down.id
        JOIN {users} u ON u.id = v.owner_id
        ORDER BY down.depth, v.created_at, v.id
    """  # noqa: S608  (table names come from the models, the id is a parameter)


@dataclass
class Node:
    """One video of the family, its prompt marked against its parent's, and its children."""

    video: Video
    owner_name: str
    current: bool = False
    # Deleted, and not the viewer's to see (not theirs, and they are not staff): its words
    # are its owner's, so the tree shows "Deleted" alone.
    hidden: bool = False
    prompt: list[Token] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        return self.video.trashed_at is not None or self.video.erased

    @property
    def shown_prompt(self) -> list[Token]:
        """The marked words, unless the video was erased (nothing of it is kept) or is
        hidden from the viewer."""
        return [] if self.video.erased or self.hidden else self.prompt

    @property
    def seen_prompt(self) -> str:
        """The prompt as the viewer may read it, which its children's words are marked against."""
        return "" if self.video.erased or self.hidden else self.video.prompt or ""


@dataclass
class Family:
    root: Node
    current: Node
    size: int
    # The root's own source, deleted for good before the Trash kept tombstones: its id only.
    lost_source_id: str | None


def family_of(video_id: str, viewer: Any) -> Family | None:
    """The whole family of one video as `viewer` may see it, as a tree; None if there is no
    such video."""
    rows = list(Video.objects.raw(family_sql(), [video_id]))
    if not rows:
        return None
    # The query names each row's owner beside its fields, as the attribute owner_name.
    nodes = {row.pk: Node(video=row, owner_name=row.owner_name) for row in rows}  # type: ignore[attr-defined]
    for node in nodes.values():
        node.hidden = node.deleted and not node.video.can_change(viewer)
    for node in nodes.values():
        node.current = node.video.pk == video_id
        parent = nodes.get(node.video.remixed_from_id or "")
        if parent is None:
            node.prompt = [Token(word, False) for word in (node.video.prompt or "").split()]
            continue
        node.prompt = word_diff(parent.seen_prompt, node.video.prompt or "")[1]
        parent.children.append(node)  # rows come oldest first within each generation
    root = nodes[rows[0].pk]
    return Family(
        root=root,
        current=nodes[video_id],
        size=len(nodes),
        lost_source_id=root.video.remixed_from_video_id,
    )
