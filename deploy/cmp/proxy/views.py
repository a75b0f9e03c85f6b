"""CMP's proxy to the model registry service.

The caller authenticates to CMP (here with `Authorization: Bearer <token>`);
CMP decides the project from that token, never from the caller's own
`Project-ID` header, which it drops. Everything else of the request (method,
path under the prefix, query, body, content type, conditional headers,
`X-Request-ID`) goes to the service as it came, and the service's answer
(status, JSON body, `ETag`, `X-Request-ID`), errors included, comes back
unchanged. Bodies are streamed both ways.
"""

import http.client
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from .models import AccessToken

PREFIX = "/api/v1/model-registry/"
# Request headers the service reads, forwarded as they came.
FORWARDED = ["Content-Type", "If-Match", "If-None-Match", "X-Request-ID", "Accept", "Prefer"]
# Answer headers passed back.
RETURNED = [
    "Content-Type",
    "ETag",
    "X-Request-ID",
    "Allow",
    "Retry-After",
    "Warning",
    "Preference-Applied",
]
CHUNK = 64 * 1024
# Seconds to wait on the service: past the longest held read of the event
# feed (`GET /events?wait=30`) and the service's own request time limit.
UPSTREAM_TIMEOUT = 45


def _error(status, code, message):
    return HttpResponse(
        json.dumps({"error": message, "code": code}),
        status=status,
        content_type="application/json",
    )


def _project_of(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key:
        return None
    token = AccessToken.objects.filter(key=key.strip()).only("project_id").first()
    return token.project_id if token else None


@csrf_exempt
def model_registry(request, rest):
    project = _project_of(request)
    if project is None:
        return _error(401, "unauthenticated", "CMP: a valid bearer token is required")
    return _forward(request, PREFIX + rest, {"Project-ID": str(project)})


def health(request):
    """The service's health, for CMP's own checks (no project involved)."""
    return _forward(request, "/healthz", {})


def _forward(request, path, headers):
    target = urlsplit(settings.MODEL_REGISTRY_URL)
    if request.META.get("QUERY_STRING"):
        path += "?" + request.META["QUERY_STRING"]
    for name in FORWARDED:
        value = request.headers.get(name)
        if value:
            headers[name] = value
    if getattr(settings, "MODEL_REGISTRY_TOKEN", ""):
        headers["Authorization"] = "Bearer " + settings.MODEL_REGISTRY_TOKEN
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return _error(400, "invalid_argument", "CMP: Content-Length is not a number")
    # The body is read from the request as it arrives, not buffered.
    body = request if length > 0 else None
    if body is not None:
        headers["Content-Length"] = str(length)
    upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=UPSTREAM_TIMEOUT)
    try:
        upstream.request(request.method, path, body=body, headers=headers)
        answer = upstream.getresponse()
    except (OSError, http.client.HTTPException) as error:
        upstream.close()
        return _error(502, "unavailable", f"CMP: the model registry did not answer ({error})")

    def chunks():
        try:
            while chunk := answer.read(CHUNK):
                yield chunk
        finally:
            upstream.close()

    if answer.status == 304 or request.method == "HEAD":
        response = HttpResponse(status=answer.status)
        upstream.close()
    else:
        response = StreamingHttpResponse(chunks(), status=answer.status)
    for name in RETURNED:
        value = answer.getheader(name)
        if value is not None:
            response[name] = value
    return response
