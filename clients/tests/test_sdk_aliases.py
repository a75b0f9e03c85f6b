"""Aliases in the Python SDK: `set_alias` (create, move, conditionally with
`if_match`), `get_alias` (the version it names), `list_aliases` and
`delete_alias`; the versions' `aliases`; the version an alias names kept
from deletion; and the history in the change feed. Against the live
service with both clients (see conftest), and a stub server for retries.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from conftest import make_registry
from model_registry_sdk import (
    Alias,
    Conflict,
    InvalidArgument,
    ModelVersion,
    NotFound,
    PreconditionFailed,
    Unavailable,
)
from test_sdk import assert_plain, version_fields
from test_sdk_failures import UNAVAILABLE, Stub


def test_set_move_get_list_and_delete(registry: Any) -> None:
    model = registry.create_model("aliased", uuid.uuid4())
    v1 = registry.create_version(model.id, "v1", **version_fields())
    v2 = registry.create_version(model.id, "v2", is_default=True, **version_fields())
    assert v1.aliases == [] and registry.list_aliases(model.id) == []

    champion = registry.set_alias(model.id, "champion", v1.id)
    assert isinstance(champion, Alias)
    assert_plain(champion)
    assert (champion.alias, champion.model_id, champion.version_id) == ("champion", model.id, v1.id)
    assert champion.updated_at.utcoffset() is not None
    assert champion.etag and champion.etag.startswith('"')

    resolved = registry.get_alias(str(model.id), "champion")
    assert isinstance(resolved, ModelVersion)
    assert_plain(resolved)
    assert resolved.id == v1.id and resolved.name == "v1" and resolved.aliases == ["champion"]
    assert registry.get_version(v1.id).aliases == ["champion"]

    # Moved, conditionally: with the ETag it was set with, once.
    moved = registry.set_alias(model.id, "champion", v2.id, if_match=champion.etag)
    assert moved.version_id == v2.id and moved.etag and moved.etag != champion.etag
    with pytest.raises(PreconditionFailed) as stale:
        registry.set_alias(model.id, "champion", v1.id, if_match=champion.etag)
    assert stale.value.status == 412 and stale.value.code == "precondition_failed"
    assert registry.get_alias(model.id, "champion").id == v2.id, "a stale move changes nothing"
    assert registry.get_version(v1.id).aliases == []
    # Setting it to the version it names already changes nothing.
    assert registry.set_alias(model.id, "champion", v2.id).version_id == v2.id

    registry.set_alias(model.id, "staging", v2.id)
    registry.set_alias(model.id, "canary", v1.id)
    aliases = registry.list_aliases(model.id)
    assert [(a.alias, a.version_id) for a in aliases] == [("canary", v1.id), ("champion", v2.id), ("staging", v2.id)]
    assert all(isinstance(a, Alias) and a.model_id == model.id for a in aliases)
    assert registry.get_version(v2.id, model_id=model.id).aliases == ["champion", "staging"]
    assert [v.aliases for v in registry.iter_versions(model.id, sort_by="name", order="asc")] == \
        [["canary"], ["champion", "staging"]]
    read = registry.get_model(model.id)
    assert read.default_version is not None and read.default_version.aliases == ["champion", "staging"]

    with pytest.raises(PreconditionFailed):
        registry.delete_alias(model.id, "staging", if_match=champion.etag)
    registry.delete_alias(model.id, "staging")
    with pytest.raises(NotFound):
        registry.get_alias(model.id, "staging")
    with pytest.raises(NotFound):
        registry.delete_alias(model.id, "staging")
    assert [a.alias for a in registry.list_aliases(model.id)] == ["canary", "champion"]


def test_an_aliased_version_is_not_deleted(registry: Any) -> None:
    model = registry.create_model("kept", uuid.uuid4())
    v1 = registry.create_version(model.id, "v1", **version_fields())
    artifact = registry.create_artifact(model.id, "onnx", **version_fields())
    registry.set_alias(model.id, "champion", v1.id)
    registry.set_alias(model.id, "onnx-latest", artifact.id)
    for delete in (lambda: registry.delete_version(v1.id), lambda: registry.delete_version(v1.id, model_id=model.id)):
        with pytest.raises(Conflict) as refused:
            delete()
        assert refused.value.status == 409 and '"champion"' in refused.value.message
    with pytest.raises(Conflict, match="onnx-latest"):
        registry.delete_artifact(artifact.id)
    assert registry.get_version(v1.id).id == v1.id

    registry.delete_alias(model.id, "champion")
    registry.delete_version(v1.id)
    registry.set_alias(model.id, "onnx-latest", registry.create_version(model.id, "v2", **version_fields()).id)
    registry.delete_artifact(artifact.id)


def test_bad_input(registry: Any) -> None:
    model = registry.create_model("bad", uuid.uuid4())
    other = registry.create_model("other", uuid.uuid4())
    version = registry.create_version(model.id, "v1", **version_fields())
    theirs = registry.create_version(other.id, "v1", **version_fields())
    for reserved in ("latest", "default"):
        with pytest.raises(InvalidArgument) as refused:
            registry.set_alias(model.id, reserved, version.id)
        assert refused.value.code == "invalid_argument"
    with pytest.raises(InvalidArgument):
        registry.set_alias(model.id, "champion", theirs.id)
    with pytest.raises(NotFound):
        registry.set_alias(model.id, "champion", uuid.uuid4())
    with pytest.raises(NotFound):
        registry.set_alias(uuid.uuid4(), "champion", version.id)
    with pytest.raises(NotFound):
        registry.list_aliases(uuid.uuid4())
    with pytest.raises(NotFound):
        registry.get_alias(model.id, "champion")
    # If-Match on an alias that does not exist: nothing to match.
    with pytest.raises(PreconditionFailed):
        registry.set_alias(model.id, "champion", version.id, if_match='"3f9c1e0b5a7d2c4e8f1a6b3d9e0c7a25"')
    assert registry.list_aliases(model.id) == [], "nothing was written"
    # A name outside ^[a-z][a-z0-9_-]{0,62}$ is refused before any call.
    for name in ("", "Champion", "1st", "-x", "a" * 64, "../versions", "champion\n", "chämpion"):
        with pytest.raises(ValueError, match="alias"):
            registry.set_alias(model.id, name, version.id)
        with pytest.raises(ValueError, match="alias"):
            registry.get_alias(model.id, name)
    with pytest.raises(ValueError, match="version_id"):
        registry.set_alias(model.id, "champion", "v1")
    assert registry.set_alias(model.id, "a" * 63, version.id).alias == "a" * 63


def test_the_history_is_in_the_change_feed(registry: Any) -> None:
    """Which version was `champion` at time T: the last `alias.set` of it
    before T, unless an `alias.deleted` came after."""
    model = registry.create_model("history", uuid.uuid4())
    v1 = registry.create_version(model.id, "v1", **version_fields())
    v2 = registry.create_version(model.id, "v2", **version_fields())
    first = registry.set_alias(model.id, "champion", v1.id)
    registry.set_alias(model.id, "champion", v1.id)  # no change: no event
    registry.set_alias(model.id, "champion", v2.id)
    with pytest.raises(PreconditionFailed):
        registry.set_alias(model.id, "champion", v1.id, if_match=first.etag)  # refused: no event
    registry.delete_alias(model.id, "champion")

    events = list(registry.events(model_id=model.id, types=["alias.set", "alias.deleted"]))
    assert [str(e.type) for e in events] == ["alias.set", "alias.set", "alias.deleted"]
    assert [e.data["alias"] for e in events] == ["champion"] * 3
    assert [e.data["version_id"] for e in events] == [str(v1.id), str(v2.id), str(v2.id)]
    assert events[0].changes == {"version_id": {"from": None, "to": str(v1.id)}}
    assert events[1].changes == {"version_id": {"from": str(v1.id), "to": str(v2.id)}}
    assert events[2].changes is None
    assert all(e.model_id == model.id for e in events)
    assert events[0].occurred_at <= events[1].occurred_at <= events[2].occurred_at


def test_setting_is_retried_when_asked_deleting_never(kind: str) -> None:
    stub = Stub()
    alias = json.dumps({"alias": "champion", "model_id": str(uuid.uuid4()), "version_id": str(uuid.uuid4()),
                        "updated_at": "2026-02-10T04:02:51Z"})
    try:
        stub.script = [UNAVAILABLE, UNAVAILABLE, (200, "application/json", alias)]
        for registry in make_registry(kind, stub.url, uuid.uuid4(), retries=2, backoff=0.01):
            assert registry.set_alias(uuid.uuid4(), "champion", uuid.uuid4()).alias == "champion"
        assert [method for method, _ in stub.requests] == ["PUT"] * 3
        stub.requests.clear()
        stub.script = [UNAVAILABLE]
        for registry in make_registry(kind, stub.url, uuid.uuid4(), retries=2, backoff=0.01):
            with pytest.raises(Unavailable):
                registry.delete_alias(uuid.uuid4(), "champion")
        assert [method for method, _ in stub.requests] == ["DELETE"]
    finally:
        stub.close()
