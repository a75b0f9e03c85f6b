"""Both SDKs keep in step with the spec: every operation of
openapi/model-registry.yaml (its operationIds, methods and paths) is called
by a method of the Python `Registry` and `AsyncRegistry` and of the
TypeScript `Registry`, and nothing else is. A new operation in the spec
fails here, naming it, until both SDKs have it.

Also: the async client mirrors the sync one's signatures, and every public
method has a docstring with an example (the API reference is made from them).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import yaml

from model_registry_sdk import OPERATIONS, AsyncRegistry, Registry

ROOT = Path(__file__).resolve().parents[2]
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def spec_operations() -> dict[str, tuple[str, str]]:
    spec = yaml.safe_load((ROOT / "openapi" / "model-registry.yaml").read_text(encoding="utf-8"))
    found: dict[str, tuple[str, str]] = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                found[operation["operationId"]] = (method.upper(), path)
    return found


def marked(cls: type) -> dict[str, tuple[str, ...]]:
    """Method name → the operations it is marked as calling."""
    return {
        name: getattr(member, "__operations__")
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if hasattr(member, "__operations__")
    }


def public_methods(cls: type) -> list[str]:
    return [name for name, _ in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_")]


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def test_the_operations_table_is_the_specs() -> None:
    spec = spec_operations()
    assert len(spec) >= 23
    missing = sorted(set(spec) - set(OPERATIONS))
    assert not missing, f"operations of the spec the Python SDK lacks (add them to OPERATIONS): {missing}"
    extra = sorted(set(OPERATIONS) - set(spec))
    assert not extra, f"operations the Python SDK has that the spec does not: {extra}"
    for operation_id, (method, path) in spec.items():
        assert OPERATIONS[operation_id] == (method, path), operation_id


@pytest.mark.parametrize("cls", [Registry, AsyncRegistry])
def test_every_operation_has_a_method(cls: type) -> None:
    covered = {operation for operations in marked(cls).values() for operation in operations}
    missing = sorted(set(spec_operations()) - covered)
    assert not missing, f"operations no method of {cls.__name__} calls: {missing}"


def test_the_async_client_mirrors_the_sync_one() -> None:
    assert public_methods(Registry) == public_methods(AsyncRegistry)
    assert marked(Registry) == marked(AsyncRegistry)
    for name in public_methods(Registry):
        sync, asynchronous = getattr(Registry, name), getattr(AsyncRegistry, name)
        assert inspect.iscoroutinefunction(asynchronous) or inspect.isasyncgenfunction(asynchronous), name
        sync_parameters = list(inspect.signature(sync).parameters.values())
        async_parameters = list(inspect.signature(asynchronous).parameters.values())
        assert sync_parameters == async_parameters, name


@pytest.mark.parametrize("cls", [Registry, AsyncRegistry])
def test_every_public_method_has_a_docstring_with_an_example(cls: type) -> None:
    assert "Example:" in (cls.__doc__ or "")
    for name in public_methods(cls):
        doc = inspect.getdoc(getattr(cls, name)) or ""
        assert "Example:" in doc, f"{cls.__name__}.{name} has no example in its docstring"


def typescript_tables() -> tuple[dict[str, tuple[str, str]], dict[str, set[str]]]:
    source = (ROOT / "clients" / "typescript" / "src" / "registry.ts").read_text(encoding="utf-8")
    operations_block = source.split("export const OPERATIONS = {", 1)[1].split("} as const", 1)[0]
    operations = {
        name: (method, path)
        for name, method, path in re.findall(r'(\w+): \{ method: "(\w+)", path: "([^"]+)" \}', operations_block)
    }
    methods_block = source.split("export const operationMethods = {", 1)[1].split("} as const", 1)[0]
    methods = {
        name: set(re.findall(r'"(\w+)"', listed))
        for name, listed in re.findall(r"(\w+): \[([^\]]*)\]", methods_block)
    }
    return operations, methods


def test_the_typescript_sdk_covers_the_same_operations_with_the_same_methods() -> None:
    operations, methods = typescript_tables()
    spec = spec_operations()
    missing = sorted(set(spec) - set(operations))
    assert not missing, f"operations of the spec the TypeScript SDK lacks (src/registry.ts OPERATIONS): {missing}"
    assert operations == spec
    assert set(methods) == set(spec)
    python: dict[str, set[str]] = {operation: set() for operation in spec}
    for name, operation_ids in marked(Registry).items():
        for operation_id in operation_ids:
            python[operation_id].add(camel(name))
    assert methods == python, "the TypeScript methods of an operation are the Python ones, in camelCase"
