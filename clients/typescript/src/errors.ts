// The errors the SDK throws: one `RegistryError` subclass per kind of failure.

/** What a `RegistryError` carries besides its message. */
export interface RegistryErrorDetails {
  /** The HTTP status; `null` when the service never answered. */
  status: number | null;
  /** The service's machine-readable `code` (`not_found`, `conflict`, ...; `unavailable` when it never answered). */
  code: string;
  /** The service's `X-Request-Id`, to find the call in its log. */
  requestId: string | null;
  method: string;
  url: string;
}

/** A call that failed: the service's error answer, or no answer at all. */
export class RegistryError extends Error {
  readonly status: number | null;
  readonly code: string;
  readonly requestId: string | null;
  readonly method: string;
  readonly url: string;

  constructor(message: string, details: RegistryErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
    this.method = details.method;
    this.url = details.url;
  }
}

/** 400 `invalid_argument`: a parameter or field is not what it must be, or a rule is not met. */
export class InvalidArgument extends RegistryError {}
/** 401 `unauthorized`: the service wants a bearer token (`token`), and this one is missing or wrong. */
export class Unauthorized extends RegistryError {}
/** 404 `not_found`: no such model, version or artifact in this project. */
export class NotFound extends RegistryError {}
/**
 * The base URL reaches no route of the registry's API (404 `route_not_found`,
 * or an answer that is not the registry's): check the base URL. Not a `NotFound`.
 */
export class RouteNotFound extends RegistryError {}
/** 409 `conflict`: the name is already taken. */
export class Conflict extends RegistryError {}
/** 412 `precondition_failed`: the resource changed since the ETag sent in `If-Match`. */
export class PreconditionFailed extends RegistryError {}
/**
 * 410 `cursor_expired`: the change feed no longer holds the events after this
 * cursor (retention removed them). Start again without `after`, and reconcile
 * by reading the current state.
 */
export class CursorExpired extends RegistryError {}
/** 413, 414 or 431: the request is too large to read. */
export class PayloadTooLarge extends RegistryError {}
/** The service cannot be reached or cannot serve now: refused, broken, timed out, 503 (or a gateway's 502/504). */
export class Unavailable extends RegistryError {}
/** 500 `internal`: the service failed; the detail is in its log under `requestId`. */
export class InternalError extends RegistryError {}

type ErrorClass = new (message: string, details: RegistryErrorDetails, options?: { cause?: unknown }) => RegistryError;

const BY_CODE: Record<string, ErrorClass> = {
  invalid_argument: InvalidArgument,
  unauthorized: Unauthorized,
  not_found: NotFound,
  route_not_found: RouteNotFound,
  conflict: Conflict,
  precondition_failed: PreconditionFailed,
  cursor_expired: CursorExpired,
  payload_too_large: PayloadTooLarge,
  uri_too_long: PayloadTooLarge,
  headers_too_large: PayloadTooLarge,
  unavailable: Unavailable,
  internal: InternalError,
};

const BY_STATUS: Record<number, ErrorClass> = {
  400: InvalidArgument,
  401: Unauthorized,
  404: RouteNotFound,
  409: Conflict,
  410: CursorExpired,
  412: PreconditionFailed,
  413: PayloadTooLarge,
  414: PayloadTooLarge,
  431: PayloadTooLarge,
  500: InternalError,
  502: Unavailable,
  503: Unavailable,
  504: Unavailable,
};

/**
 * The error an answer stands for. `body` is its parsed JSON (or undefined);
 * `baseUrl` is named in the message when the URL reaches no API route.
 */
export function errorFromAnswer(
  response: Response,
  body: unknown,
  request: { method: string; url: string; baseUrl: string },
): RegistryError {
  const requestId = response.headers.get("x-request-id");
  const status = response.status;
  const isErrorBody =
    typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string";
  let code = "unknown";
  let message: string;
  let kind: ErrorClass;
  if (isErrorBody) {
    const error = body as { error: string; code?: unknown };
    code = typeof error.code === "string" ? error.code : "unknown";
    message = error.error;
    kind = BY_CODE[code] ?? BY_STATUS[status] ?? RegistryError;
  } else {
    message = `the answer (${status} ${response.headers.get("content-type") ?? "no content type"}) is not the model registry's`;
    kind = response.ok || status === 404 ? RouteNotFound : (BY_STATUS[status] ?? RegistryError);
  }
  if (kind === RouteNotFound) {
    if (code === "unknown") code = "route_not_found";
    message =
      `${request.url} reaches no route of the model registry's API: check the base URL ` +
      `("${request.baseUrl}"; it is the service's root, such as "http://localhost:8080")`;
  }
  return new kind(message, { status, code, requestId, method: request.method, url: request.url });
}
