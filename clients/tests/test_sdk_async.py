"""`AsyncRegistry` as asyncio code uses it: `async with`, `async for`,
concurrent calls on one client, errors raised from coroutines. (Every
scenario of test_sdk.py and test_sdk_failures.py also runs through it.)
"""

from __future__ import annotations

import asyncio
import inspect
import socket
import uuid

import pytest
from conftest import URL

from model_registry_sdk import AsyncRegistry, Conflict, NotFound, Page, RegisteredModel, RouteNotFound, Unavailable


def test_async_with_async_for_and_gather() -> None:
    async def main() -> None:
        region = uuid.uuid4()
        async with AsyncRegistry(URL, uuid.uuid4()) as registry:
            created = await asyncio.gather(*(registry.create_model(f"a{i:02}", region) for i in range(12)))
            assert all(isinstance(model, RegisteredModel) for model in created)
            page = await registry.list_models(limit=5)
            assert isinstance(page, Page) and len(page) == 5 and page.total == 12
            walked = [model.id async for model in registry.iter_models(page_size=5)]
            assert sorted(walked) == sorted(model.id for model in created)
            versions = await asyncio.gather(*(
                registry.create_version(created[0].id, f"v{i}", uri="s3://a", model_framework="pytorch",
                                        model_framework_version="2.3")
                for i in range(4)
            ))
            assert len({version.id for version in versions}) == 4
            assert len([v async for v in registry.iter_versions(created[0].id, page_size=3)]) == 4
            assert len([a async for a in registry.iter_artifacts(page_size=3)]) == 4
            assert await registry.health()

    asyncio.run(main())


def test_errors_are_raised_by_the_awaited_call() -> None:
    async def main() -> None:
        async with AsyncRegistry(URL, uuid.uuid4()) as registry:
            await registry.create_model("dup", uuid.uuid4())
            results = await asyncio.gather(
                registry.create_model("dup", uuid.uuid4()),
                registry.get_model(uuid.uuid4()),
                registry.find_model(name="dup"),
                return_exceptions=True,
            )
            assert isinstance(results[0], Conflict)
            assert isinstance(results[1], NotFound)
            assert isinstance(results[2], RegisteredModel)
        async with AsyncRegistry(f"{URL}/api/v1", uuid.uuid4()) as wrong:
            with pytest.raises(RouteNotFound):
                await wrong.list_models()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        async with AsyncRegistry(f"http://127.0.0.1:{port}", uuid.uuid4(), retries=1, backoff=0.01) as down:
            with pytest.raises(Unavailable):
                await down.get_model(uuid.uuid4())
            with pytest.raises(Unavailable):
                async for _ in down.iter_models():
                    pass

    asyncio.run(main())


def test_methods_are_coroutines_and_walkers_async_iterators() -> None:
    registry = AsyncRegistry(URL, uuid.uuid4())
    try:
        for name in ("get_model", "create_model", "list_models", "health", "register_model"):
            assert inspect.iscoroutinefunction(getattr(registry, name)), name
        for name in ("iter_models", "iter_versions", "iter_artifacts"):
            assert inspect.isasyncgenfunction(getattr(registry, name)), name
    finally:
        asyncio.run(registry.close())
