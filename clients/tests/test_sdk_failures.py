"""The SDK when the service is down, slow, or not the service: refused
connections, timeouts and 503 are `Unavailable` carrying the URL; retries
(off by default) try reads and updates again, never creates; an answer that
is not the registry's is `RouteNotFound`. The real service cannot be made
to refuse or hang on demand, so these run against a closed port and a small
stub server; both clients each time.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from conftest import make_registry

from model_registry_sdk import NotFound, RegistryError, RouteNotFound, Unavailable


class Stub:
    """An HTTP server answering from a script: each answer is
    (status, content type, body) or a number of seconds to stay silent."""

    def __init__(self) -> None:
        self.script: list[Any] = []
        self.requests: list[tuple[str, str]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def answer(self) -> None:
                stub.requests.append((self.command, self.path))
                self.rfile.read(int(self.headers.get("content-length") or 0))
                step = stub.script.pop(0) if len(stub.script) > 1 else stub.script[0]
                if isinstance(step, (int, float)):
                    time.sleep(step)
                    return
                status, content_type, body = step
                data = body.encode()
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(data)))
                self.send_header("x-request-id", "stub-request")
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


UNAVAILABLE = (503, "application/json", json.dumps({"error": "the database is unavailable", "code": "unavailable"}))
EMPTY_PAGE = (200, "application/json", json.dumps({"items": [], "total": 0, "page_size": 20, "next_offset": 0}))


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    yield server
    server.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def client(kind: str, url: str, **options: Any) -> Iterator[Any]:
    return make_registry(kind, url, uuid.uuid4(), **options)


def test_a_refused_connection_is_unavailable_with_the_url(kind: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    for registry in client(kind, url):
        with pytest.raises(Unavailable) as error:
            registry.list_models()
        assert isinstance(error.value, RegistryError)
        assert error.value.status is None and error.value.code == "unavailable"
        assert error.value.url == f"{url}/api/v1/model-registry/models"
        assert url in str(error.value) and "unreachable" in str(error.value)
        with pytest.raises(Unavailable):
            registry.health()


def test_a_timeout_is_unavailable(stub: Stub, kind: str) -> None:
    stub.script = [1.0]
    for registry in client(kind, stub.url, timeout=0.2):
        started = time.monotonic()
        with pytest.raises(Unavailable) as error:
            registry.get_model(uuid.uuid4())
        assert time.monotonic() - started < 0.9
        assert "no answer within 0.2 s" in str(error.value)
        assert error.value.url.startswith(stub.url)


def test_a_503_is_unavailable(stub: Stub, kind: str) -> None:
    stub.script = [UNAVAILABLE]
    for registry in client(kind, stub.url):
        with pytest.raises(Unavailable) as error:
            registry.list_models()
        assert error.value.status == 503 and error.value.code == "unavailable"
        assert error.value.message == "the database is unavailable"
        assert error.value.request_id == "stub-request"
    assert len(stub.requests) == 1  # no retries unless asked


def test_a_gateways_page_is_unavailable(stub: Stub, kind: str) -> None:
    stub.script = [(502, "text/html", "<html>Bad Gateway</html>")]
    for registry in client(kind, stub.url):
        with pytest.raises(Unavailable) as error:
            registry.list_models()
        assert error.value.status == 502


def test_reads_and_updates_are_retried_when_asked(stub: Stub, kind: str) -> None:
    stub.script = [UNAVAILABLE, UNAVAILABLE, EMPTY_PAGE]
    for registry in client(kind, stub.url, retries=2, backoff=0.01):
        assert registry.list_models().total == 0
    assert len(stub.requests) == 3

    stub.requests.clear()
    stub.script = [UNAVAILABLE]
    for registry in client(kind, stub.url, retries=2, backoff=0.01):
        with pytest.raises(Unavailable):
            registry.update_model(uuid.uuid4(), description="x")
    assert [method for method, _ in stub.requests] == ["PATCH"] * 3


def test_creates_and_deletes_are_never_retried(stub: Stub, kind: str) -> None:
    stub.script = [UNAVAILABLE]
    for registry in client(kind, stub.url, retries=3, backoff=0.01):
        with pytest.raises(Unavailable):
            registry.create_model("m", uuid.uuid4())
        with pytest.raises(Unavailable):
            registry.delete_model(uuid.uuid4())
    assert [method for method, _ in stub.requests] == ["POST", "DELETE"]


def test_retries_give_up_on_a_refused_connection(kind: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    for registry in client(kind, url, retries=2, backoff=0.01):
        with pytest.raises(Unavailable):
            registry.get_model(uuid.uuid4())
    with pytest.raises(ValueError, match="retries"):
        list(client(kind, url, retries=-1))


def test_an_answer_that_is_not_the_registrys_is_route_not_found(stub: Stub, kind: str) -> None:
    for answer in [(404, "text/html", "<h1>Not Found</h1>"), (200, "text/html", "<html>a web site</html>"),
                   (404, "application/json", json.dumps({"detail": "Not Found"}))]:
        stub.script = [answer]
        for registry in client(kind, stub.url):
            with pytest.raises(RouteNotFound) as error:
                registry.get_model(uuid.uuid4())
            assert not isinstance(error.value, NotFound)
            assert "check the base URL" in str(error.value)
            assert error.value.code == "route_not_found"


def test_an_unknown_code_is_still_a_registry_error(stub: Stub, kind: str) -> None:
    stub.script = [(418, "application/json", json.dumps({"error": "a teapot", "code": "teapot"}))]
    for registry in client(kind, stub.url):
        with pytest.raises(RegistryError) as error:
            registry.list_models()
        assert type(error.value) is RegistryError
        assert error.value.code == "teapot" and error.value.status == 418 and error.value.message == "a teapot"


def test_health_is_false_when_the_database_is_down(stub: Stub, kind: str) -> None:
    stub.script = [(503, "application/json", json.dumps({"status": "unhealthy", "error": "database unavailable"}))]
    for registry in client(kind, stub.url):
        assert registry.health() is False
