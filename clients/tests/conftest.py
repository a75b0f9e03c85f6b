"""Fixtures of the SDK tests: the live service's URL, and a `registry` that
is, in turn, the blocking `Registry` and the `AsyncRegistry` (driven through
an event loop), so that every scenario runs against both clients.

    MODEL_REGISTRY_URL=http://127.0.0.1:8080 pytest clients/tests
"""

from __future__ import annotations

import asyncio
import inspect
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

URL = os.environ.get("MODEL_REGISTRY_URL", "http://127.0.0.1:8080")


class Blocking:
    """An `AsyncRegistry` seen through blocking calls: each coroutine is run
    to its end on one event loop, each async iterator is walked lazily."""

    def __init__(self, client: Any, runner: asyncio.Runner) -> None:
        self._client = client
        self._runner = runner

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if inspect.iscoroutinefunction(attribute):
            return lambda *args, **kwargs: self._runner.run(attribute(*args, **kwargs))
        if inspect.isasyncgenfunction(attribute):
            return lambda *args, **kwargs: self._walk(attribute(*args, **kwargs))
        return attribute

    def _walk(self, iterator: Any) -> Iterator[Any]:
        while True:
            try:
                yield self._runner.run(iterator.__anext__())
            except StopAsyncIteration:
                return


def make_registry(kind: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
    """A client of `kind` ("sync" or "async"), closed when done."""
    from model_registry_sdk import AsyncRegistry, Registry

    if kind == "sync":
        with Registry(*args, **kwargs) as registry:
            yield registry
        return
    with asyncio.Runner() as runner:
        client = AsyncRegistry(*args, **kwargs)
        try:
            yield Blocking(client, runner)
        finally:
            runner.run(client.close())


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def registry(kind: str) -> Iterator[Any]:
    """A client of a new project, blocking or async (via `Blocking`)."""
    yield from make_registry(kind, URL, uuid.uuid4())
