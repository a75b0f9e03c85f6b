// `Registry`: one object per project, a method per operation of the API.
//
// Adding an operation: regenerate src/schema.ts (scripts/generate-clients.sh),
// then the compiler names what is missing: its line in `OPERATIONS` (method
// and path as in the spec), a method below, and its line in
// `operationMethods`. clients/tests/test_sdk_coverage.py checks the same
// against openapi/model-registry.yaml.

import type { components, operations, paths } from "./schema.js";
import { errorFromAnswer, RegistryError, Unavailable } from "./errors.js";

type Schemas = components["schemas"];
/**
 * `etag`, on what a create, a get, a find or an update answers, is the
 * resource's ETag: pass it as `ifMatch` to update or delete it only if
 * nobody changed it since. It is absent from list items.
 */
export type RegisteredModel = Schemas["RegisteredModel"] & { etag?: string };
export type ModelVersion = Schemas["ModelVersion"] & { etag?: string };
export type ModelArtifact = Schemas["ModelArtifact"] & { etag?: string };
export type CreateModel = Schemas["CreateModel"];
export type UpdateModel = Schemas["UpdateModel"];
export type CreateVersion = Schemas["CreateVersion"];
export type UpdateVersion = Schemas["UpdateVersion"];
export type CreateArtifact = Schemas["CreateArtifact"];
export type UpdateArtifact = Schemas["UpdateArtifact"];
export type State = Schemas["State"];
export type VersionStatus = Schemas["VersionStatus"];
export type DeploymentStatus = Schemas["DeploymentStatus"];
export type EventType = Schemas["EventType"];

/**
 * A receiver of the project's change feed: `id`, `url`, `event_types` (the
 * types it receives), `description`, `enabled` (`false` when its owner
 * disabled it, or when its last 100 deliveries all failed), `created_at`,
 * `updated_at`. Never its secret: only `createWebhook` answers that. `etag`
 * as on a model.
 */
export type Webhook = Schemas["Webhook"] & { etag?: string };
/** A new webhook, with its `secret` (`whsec_...`), which the service shows this once: keep it for `verifyWebhook`. */
export type WebhookWithSecret = Schemas["WebhookWithSecret"] & { etag?: string };
export type CreateWebhook = Schemas["CreateWebhook"];
export type UpdateWebhook = Schemas["UpdateWebhook"];
/**
 * One event's delivery to a webhook: `event_id` (the `webhook-id` header of
 * each attempt), `event_type`, `status` (`pending` while an attempt is to
 * come, at `next_attempt_at`; then `succeeded` or `failed`), `attempts`, and
 * the last attempt's `response_status`, `error` and `duration_ms`.
 */
export type Delivery = Schemas["Delivery"];
export type DeliveryStatus = Schemas["DeliveryStatus"];

/** One page of a webhook's deliveries, newest first; iterable. */
export interface DeliveryPage extends Iterable<Delivery> {
  readonly deliveries: Delivery[];
  /** Pass it as `page_token` for the next page; `null` on the last page. */
  readonly next_page_token: string | null;
}

/** The options of `listDeliveries`. */
export interface ListDeliveriesOptions {
  /** Page size, 1..100 (the service's default: 20). */
  limit?: number | undefined;
  /** A page's `next_page_token`: the page after it. */
  page_token?: string | undefined;
}

/**
 * A name for one version of a model (`champion`, `staging`): `alias`,
 * `model_id`, `version_id` (the version it names) and `updated_at` (when it
 * was last set or moved). `etag` is set on what `setAlias` answers: pass it as
 * `ifMatch` to move or delete the alias only if nobody moved it since.
 */
export type Alias = Schemas["Alias"] & { etag?: string };

/** The options of a conditional write: an update, a delete, `setAlias`. */
export interface IfMatchOptions {
  /** The resource's `etag`: the call fails with `PreconditionFailed`, changing nothing, if it changed since. */
  ifMatch?: string | undefined;
}

function ifMatchHeaders(options: IfMatchOptions): Record<string, string> {
  return options.ifMatch === undefined ? {} : { "If-Match": options.ifMatch };
}

/**
 * One change of the project's change feed (`Registry.events`). `id` is its
 * cursor (`after: event.id` reads what follows it); `data` is the model or
 * version as the API answered it after the change (as it was, for a delete);
 * `changes`, for `*.updated`, the fields that changed, else `null`.
 */
export type Event = Omit<Schemas["Event"], "data" | "changes"> & {
  data: Record<string, unknown>;
  changes: Record<string, { from: unknown; to: unknown }> | null;
};

/** One page of the change feed: its events, oldest first, and where the next page starts. */
export interface EventPage extends Iterable<Event> {
  readonly events: Event[];
  /** Pass it as `after` for the next page; on an empty page, the `after` it was asked with. */
  readonly next_cursor: string;
}

export type OperationId = keyof operations;
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Every operation of the API: its HTTP method and path, as in openapi/model-registry.yaml. */
export const OPERATIONS = {
  health: { method: "GET", path: "/healthz" },
  createModel: { method: "POST", path: "/api/v1/model-registry/models" },
  listModels: { method: "GET", path: "/api/v1/model-registry/models" },
  getModel: { method: "GET", path: "/api/v1/model-registry/models/{model_id}" },
  updateModel: { method: "PATCH", path: "/api/v1/model-registry/models/{model_id}" },
  deleteModel: { method: "DELETE", path: "/api/v1/model-registry/models/{model_id}" },
  findModel: { method: "GET", path: "/api/v1/model-registry/model" },
  createModelVersion: { method: "POST", path: "/api/v1/model-registry/models/{model_id}/versions" },
  listModelVersions: { method: "GET", path: "/api/v1/model-registry/models/{model_id}/versions" },
  getModelVersion: { method: "GET", path: "/api/v1/model-registry/models/{model_id}/versions/{version_id}" },
  updateModelVersion: { method: "PATCH", path: "/api/v1/model-registry/models/{model_id}/versions/{version_id}" },
  deleteModelVersion: { method: "DELETE", path: "/api/v1/model-registry/models/{model_id}/versions/{version_id}" },
  listAllModelVersions: { method: "GET", path: "/api/v1/model-registry/model_versions" },
  getModelVersionById: { method: "GET", path: "/api/v1/model-registry/model_versions/{version_id}" },
  updateModelVersionById: { method: "PATCH", path: "/api/v1/model-registry/model_versions/{version_id}" },
  deleteModelVersionById: { method: "DELETE", path: "/api/v1/model-registry/model_versions/{version_id}" },
  findModelVersion: { method: "GET", path: "/api/v1/model-registry/model_version" },
  createModelArtifact: { method: "POST", path: "/api/v1/model-registry/model_artifacts" },
  listModelArtifacts: { method: "GET", path: "/api/v1/model-registry/model_artifacts" },
  getModelArtifact: { method: "GET", path: "/api/v1/model-registry/model_artifacts/{artifact_id}" },
  updateModelArtifact: { method: "PATCH", path: "/api/v1/model-registry/model_artifacts/{artifact_id}" },
  deleteModelArtifact: { method: "DELETE", path: "/api/v1/model-registry/model_artifacts/{artifact_id}" },
  findModelArtifact: { method: "GET", path: "/api/v1/model-registry/model_artifact" },
  listAliases: { method: "GET", path: "/api/v1/model-registry/models/{model_id}/aliases" },
  setAlias: { method: "PUT", path: "/api/v1/model-registry/models/{model_id}/aliases/{alias}" },
  getAlias: { method: "GET", path: "/api/v1/model-registry/models/{model_id}/aliases/{alias}" },
  deleteAlias: { method: "DELETE", path: "/api/v1/model-registry/models/{model_id}/aliases/{alias}" },
  listEvents: { method: "GET", path: "/api/v1/model-registry/events" },
  createWebhook: { method: "POST", path: "/api/v1/model-registry/webhooks" },
  listWebhooks: { method: "GET", path: "/api/v1/model-registry/webhooks" },
  getWebhook: { method: "GET", path: "/api/v1/model-registry/webhooks/{webhook_id}" },
  updateWebhook: { method: "PATCH", path: "/api/v1/model-registry/webhooks/{webhook_id}" },
  deleteWebhook: { method: "DELETE", path: "/api/v1/model-registry/webhooks/{webhook_id}" },
  pingWebhook: { method: "POST", path: "/api/v1/model-registry/webhooks/{webhook_id}/ping" },
  listWebhookDeliveries: { method: "GET", path: "/api/v1/model-registry/webhooks/{webhook_id}/deliveries" },
  redeliverWebhookDelivery: { method: "POST", path: "/api/v1/model-registry/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver" },
} as const satisfies { readonly [Op in OperationId]: { method: Method; path: keyof paths } };

/**
 * Retried on `Unavailable` when `retries` > 0: reads, PATCH (it sets fields to values) and PUT (it points an alias at a
 * version). Never POST (a repeat would create twice, or deliver a ping or an event twice) nor DELETE.
 */
const IDEMPOTENT: ReadonlySet<Method> = new Set<Method>(["GET", "PATCH", "PUT"]);

/** One page of a list, iterable over its items. */
export interface Page<T> extends Iterable<T> {
  readonly items: T[];
  /** Every item matching the filters, on all pages. */
  readonly total: number;
  /** The limit the service applied. */
  readonly page_size: number;
  readonly next_offset: number;
  /** Pass it as `page_token` for the next page; `null` on the last page. */
  readonly next_page_token: string | null;
}

/** Filters every list takes. `labels`: all must match (`{ team: "nlp" }`). */
interface ListOptions {
  labels?: Record<string, string>;
  limit?: number;
  offset?: number;
  page_token?: string;
  order?: "asc" | "desc";
}

export interface ListModelsOptions extends ListOptions {
  state?: State;
  model_type?: string;
  /** A case-insensitive part of the name. */
  search?: string;
  /** `{ frameworks: "pytorch" }` or a list of values: all must match. */
  tags?: Record<string, string | string[]>;
  sort_by?: "created_at" | "updated_at" | "name" | "model_size";
}

export interface ListVersionsOptions extends ListOptions {
  /** A model's versions; without it, every model's in the project. */
  model_id?: string;
  state?: State;
  status?: VersionStatus;
  sort_by?: "created_at" | "updated_at" | "name";
}

export type ListArtifactsOptions = ListVersionsOptions;

/** The options of `listEvents`. */
export interface ListEventsOptions {
  // `| undefined` throughout: a saved cursor is often `string | undefined`,
  // which `exactOptionalPropertyTypes` would otherwise refuse.
  /** Only events after this cursor (an event's `id` or a page's `next_cursor`); absent: from the oldest kept. */
  after?: string | undefined;
  /** Only events of these types (any may match). */
  types?: EventType | readonly EventType[] | undefined;
  /** Only the events of this model and its versions. */
  modelId?: string | undefined;
  /** Page size, 1..1000 (the service's default: 100). */
  limit?: number | undefined;
  /**
   * When nothing follows `after`, the service holds the answer up to this many
   * seconds (0..30, default 0) until an event commits. The request's timeout is
   * `timeoutMs` plus `wait`.
   */
  wait?: number | undefined;
}

/** The options of `events`. */
export interface EventsOptions extends ListEventsOptions {
  /**
   * `false` (default): stop at the end of the feed (the first empty page).
   * `true`: never stop; at the end of the feed each request is held up to
   * `wait` seconds (default 25, 1..30), so a quiet feed is long-polled.
   */
  follow?: boolean | undefined;
}

/** The longest the service holds a feed request, in seconds. */
const MAX_WAIT = 30;
/** `wait` of `events({ follow: true })` when none is given. */
const FOLLOW_WAIT = 25;

function checkWait(wait: number): number {
  if (!Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT) {
    throw new RangeError(`wait must be whole seconds, 0..${MAX_WAIT}, got ${wait}`);
  }
  return wait;
}

/** The options of the `iter*` walkers: the list's filters, and a page size (1..100, default 100). */
export type IterOptions<Options> = Omit<Options, "limit" | "offset" | "page_token"> & { pageSize?: number };

export interface RegistryOptions {
  /** The service's root, e.g. `http://localhost:8080` (a trailing `/api/v1/model-registry` is dropped). */
  baseUrl: string;
  /** The project's UUID, sent as `Project-ID` on every call. */
  projectId: string;
  /** Sent as `Authorization: Bearer <token>` when the service wants one. */
  token?: string;
  /** Milliseconds per request before `Unavailable` (default 10000). */
  timeoutMs?: number;
  /** Times a read or an update is tried again after `Unavailable` (default 0). */
  retries?: number;
  /** The first wait before a retry, doubled each time, with jitter (default 500). */
  backoffMs?: number;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
}

const BASE_PATH = "/api/v1/model-registry";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkId(value: string, name: string): string {
  if (typeof value !== "string" || !UUID.test(value)) {
    throw new TypeError(`${name} must be a UUID, got ${JSON.stringify(value)}`);
  }
  return value.toLowerCase();
}

const ALIAS = /^[a-z][a-z0-9_-]{0,62}$/;

function checkAlias(value: string): string {
  if (typeof value !== "string" || !ALIAS.test(value)) {
    throw new TypeError(
      `alias must be a lowercase letter, then up to 62 lowercase letters, digits, "_" or "-", got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function rootUrl(baseUrl: string): string {
  if (typeof baseUrl !== "string" || !/^https?:\/\//.test(baseUrl)) {
    throw new TypeError(`baseUrl must be an http:// or https:// URL, got ${JSON.stringify(baseUrl)}`);
  }
  let root = baseUrl.replace(/\/+$/, "");
  if (root.endsWith(BASE_PATH)) root = root.slice(0, -BASE_PATH.length);
  return root;
}

/** Sent with every request body: unknown fields are a 400 that names them, and nothing is written (RFC 7240). */
const STRICT = "handling=strict";

type QueryValue = string | number | boolean | string[] | undefined;

interface Call {
  path?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Seconds the service may hold the answer (the feed's `wait`): added to the timeout. */
  heldSeconds?: number;
  /** Add the answer's `ETag` header to it, as `etag`. */
  etag?: boolean;
}

function labelFilters(labels: Record<string, string> | undefined): string[] | undefined {
  return labels === undefined ? undefined : Object.entries(labels).map(([key, value]) => `${key}:${value}`);
}

function tagFilters(tags: Record<string, string | string[]> | undefined): string[] | undefined {
  if (tags === undefined) return undefined;
  return Object.entries(tags).flatMap(([array, values]) =>
    (typeof values === "string" ? [values] : values).map((value) => `${array}:${value}`),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The model registry of one project.
 *
 * ```ts
 * const registry = new Registry({ baseUrl: "http://localhost:8080", projectId });
 * const model = await registry.createModel({ name: "sentiment", region_id: regionId });
 * for await (const each of registry.iterModels({ labels: { team: "nlp" } })) console.log(each.name);
 * ```
 */
export class Registry {
  /** The service's root URL. */
  readonly baseUrl: string;
  /** The project every call acts in. */
  readonly projectId: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #backoffMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: RegistryOptions) {
    this.baseUrl = rootUrl(options.baseUrl);
    this.projectId = checkId(options.projectId, "projectId");
    this.#headers = { "Project-ID": this.projectId, Accept: "application/json" };
    if (options.token !== undefined) this.#headers["Authorization"] = `Bearer ${options.token}`;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retries = options.retries ?? 0;
    if (!Number.isInteger(this.#retries) || this.#retries < 0) {
      throw new TypeError(`retries must be an integer, 0 or more, got ${options.retries}`);
    }
    this.#backoffMs = options.backoffMs ?? 500;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  async #call<T>(operation: OperationId, call: Call = {}): Promise<T> {
    const { method, path } = OPERATIONS[operation];
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(call.path?.[name] ?? ""));
    const url = new URL(this.baseUrl + filled);
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value === undefined) continue;
      for (const each of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(each));
    }
    const headers: Record<string, string> = { ...this.#headers, ...call.headers };
    let body: string | undefined;
    if (call.body !== undefined) {
      headers["Content-Type"] = "application/json";
      // A field the service does not know (a typo, or one an older service
      // lacks) is refused, naming it, instead of ignored with a Warning.
      headers["Prefer"] = STRICT;
      body = JSON.stringify(call.body);
    }
    const attempts = 1 + (IDEMPOTENT.has(method) ? this.#retries : 0);
    for (let attempt = 1; ; attempt++) {
      try {
        const timeoutMs = this.#timeoutMs + (call.heldSeconds ?? 0) * 1000;
        return await this.#once<T>(operation, method, url.toString(), headers, body, timeoutMs, call.etag ?? false);
      } catch (error) {
        if (!(error instanceof Unavailable) || attempt >= attempts) throw error;
        const ceiling = Math.min(this.#backoffMs * 2 ** (attempt - 1), 30_000);
        await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
      }
    }
  }

  async #once<T>(
    operation: OperationId,
    method: Method,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
    withEtag: boolean,
  ): Promise<T> {
    let response: Response;
    let text: string;
    const init: RequestInit = { method, headers, signal: AbortSignal.timeout(timeoutMs) };
    if (body !== undefined) init.body = body;
    try {
      response = await this.#fetch(url, init);
      text = await response.text();
    } catch (error) {
      const name = error instanceof Error ? error.name : "";
      const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
      const why =
        name === "TimeoutError" || name === "AbortError"
          ? `no answer within ${timeoutMs} ms`
          : `cannot connect (${cause?.code ?? cause?.message ?? String(error)})`;
      throw new Unavailable(
        `the model registry at ${this.baseUrl} is unreachable: ${why}`,
        { status: null, code: "unavailable", requestId: null, method, url },
        { cause: error },
      );
    }
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const isErrorBody =
      typeof parsed === "object" && parsed !== null && typeof (parsed as { error?: unknown }).error === "string";
    if (operation === "health" && (response.status === 200 || response.status === 503) &&
        typeof parsed === "object" && parsed !== null && "status" in parsed) {
      return parsed as T;
    }
    if (response.ok && parsed !== undefined && !isErrorBody) {
      const etag = response.headers.get("etag");
      if (withEtag && etag !== null && typeof parsed === "object" && parsed !== null) return { ...parsed, etag } as T;
      return parsed as T;
    }
    throw errorFromAnswer(response, parsed, { method, url, baseUrl: this.baseUrl });
  }

  static #page<T>(answer: {
    items: T[];
    total: number;
    page_size: number;
    next_offset: number;
    next_page_token?: string;
  }): Page<T> {
    const items = answer.items;
    return {
      items,
      total: answer.total,
      page_size: answer.page_size,
      next_offset: answer.next_offset,
      next_page_token: answer.next_page_token || null,
      [Symbol.iterator]: () => items[Symbol.iterator](),
    };
  }

  static async *#walk<T>(
    pageSize: number | undefined,
    fetchPage: (limit: number, token: string | undefined) => Promise<Page<T>>,
  ): AsyncGenerator<T, void, undefined> {
    const limit = pageSize ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new RangeError(`pageSize must be 1..100, got ${limit}`);
    let token: string | undefined;
    for (;;) {
      const page = await fetchPage(limit, token);
      yield* page.items;
      if (page.next_page_token === null) return;
      token = page.next_page_token;
    }
  }

  // ------------------------------------------------------------------ health

  /**
   * Whether the service and its database answer: `false` when the service
   * says its database does not; `Unavailable` when the service cannot be reached.
   *
   * ```ts
   * if (!(await registry.health())) console.log("the registry's database is down");
   * ```
   */
  async health(): Promise<boolean> {
    const answer = await this.#call<Schemas["Health"]>("health");
    return answer.status === "ok";
  }

  // ------------------------------------------------------------------ models

  /**
   * Creates a model (`LIVE`, `UNDEPLOYED`, no versions); `Conflict` when the name is taken.
   *
   * ```ts
   * const model = await registry.createModel({ name: "sentiment", region_id: regionId, labels: { team: "nlp" } });
   * ```
   */
  async createModel(model: CreateModel): Promise<RegisteredModel> {
    checkId(model.region_id, "region_id");
    return this.#call("createModel", { body: model, etag: true });
  }

  /**
   * The model with its latest and default versions; `NotFound` when the project has none.
   *
   * ```ts
   * const model = await registry.getModel(modelId);
   * ```
   */
  async getModel(modelId: string): Promise<RegisteredModel> {
    return this.#call("getModel", { path: { model_id: checkId(modelId, "modelId") }, etag: true });
  }

  /**
   * The model of this exact name (or id); `NotFound` when none.
   *
   * ```ts
   * const model = await registry.findModel({ name: "sentiment" });
   * ```
   */
  async findModel(by: { name?: string; model_id?: string }): Promise<RegisteredModel> {
    if (by.name === undefined && by.model_id === undefined) throw new TypeError("findModel needs name or model_id");
    const externalId = by.model_id === undefined ? undefined : checkId(by.model_id, "model_id");
    return this.#call("findModel", { query: { name: by.name, externalId }, etag: true });
  }

  /**
   * One page of the project's models (newest first by default).
   *
   * ```ts
   * const page = await registry.listModels({ labels: { team: "nlp" }, limit: 10 });
   * console.log(page.items.length, "of", page.total);
   * ```
   */
  async listModels(options: ListModelsOptions = {}): Promise<Page<RegisteredModel>> {
    const { labels, tags, ...query } = options;
    const answer = await this.#call<Schemas["RegisteredModelList"]>("listModels", {
      query: { ...query, label: labelFilters(labels), tag: tagFilters(tags) },
    });
    return Registry.#page(answer);
  }

  /**
   * Every model matching the filters, fetching page after page.
   *
   * ```ts
   * for await (const model of registry.iterModels({ tags: { frameworks: "pytorch" } })) console.log(model.name);
   * ```
   */
  iterModels(options: IterOptions<ListModelsOptions> = {}): AsyncGenerator<RegisteredModel, void, undefined> {
    const { pageSize, ...filters } = options;
    return Registry.#walk(pageSize, (limit, page_token) =>
      this.listModels(page_token === undefined ? { ...filters, limit } : { ...filters, limit, page_token }),
    );
  }

  /**
   * Changes the fields given; `tags` and `labels` replace the whole value. With `ifMatch` (an `etag`),
   * `PreconditionFailed` when the model changed since.
   *
   * ```ts
   * const model = await registry.updateModel(modelId, { state: "ARCHIVED" });
   * await registry.updateModel(modelId, { description: "archived" }, { ifMatch: model.etag });
   * ```
   */
  async updateModel(modelId: string, changes: UpdateModel, options: IfMatchOptions = {}): Promise<RegisteredModel> {
    const path = { model_id: checkId(modelId, "modelId") };
    return this.#call("updateModel", { path, body: changes, headers: ifMatchHeaders(options), etag: true });
  }

  /**
   * Deletes an `ARCHIVED` model none of whose versions is `READY`; else `InvalidArgument`.
   *
   * ```ts
   * await registry.deleteModel(modelId);
   * ```
   */
  async deleteModel(modelId: string, options: IfMatchOptions = {}): Promise<void> {
    const path = { model_id: checkId(modelId, "modelId") };
    await this.#call("deleteModel", { path, headers: ifMatchHeaders(options) });
  }

  // ---------------------------------------------------------------- versions

  /**
   * Adds a version (`LIVE`, `PENDING`) to a model; `is_default: true` makes it the default.
   *
   * ```ts
   * const v1 = await registry.createVersion(model.id, {
   *   name: "v1", uri: "s3://models/sentiment/v1", model_framework: "pytorch", model_framework_version: "2.3",
   * });
   * ```
   */
  async createVersion(modelId: string, version: CreateVersion): Promise<ModelVersion> {
    const path = { model_id: checkId(modelId, "modelId") };
    return this.#call("createModelVersion", { path, body: version, etag: true });
  }

  /**
   * A version by its id; with `model_id`, `NotFound` unless it is that model's.
   *
   * ```ts
   * const version = await registry.getVersion(versionId);
   * ```
   */
  async getVersion(versionId: string, options: { model_id?: string } = {}): Promise<ModelVersion> {
    const version_id = checkId(versionId, "versionId");
    if (options.model_id === undefined) return this.#call("getModelVersionById", { path: { version_id }, etag: true });
    const path = { model_id: checkId(options.model_id, "model_id"), version_id };
    return this.#call("getModelVersion", { path, etag: true });
  }

  /**
   * The version of this name (the newest when several match), narrowed by `model_id`.
   *
   * ```ts
   * const version = await registry.findVersion({ name: "v1", model_id: model.id });
   * ```
   */
  async findVersion(by: { name?: string; model_id?: string; version_id?: string }): Promise<ModelVersion> {
    if (by.name === undefined && by.version_id === undefined) throw new TypeError("findVersion needs name or version_id");
    return this.#call("findModelVersion", {
      query: {
        name: by.name,
        registered_model_id: by.model_id === undefined ? undefined : checkId(by.model_id, "model_id"),
        externalId: by.version_id === undefined ? undefined : checkId(by.version_id, "version_id"),
      },
      etag: true,
    });
  }

  /**
   * One page of a model's versions, or (without `model_id`) of the whole project's.
   *
   * ```ts
   * const page = await registry.listVersions({ model_id: model.id, status: "READY" });
   * ```
   */
  async listVersions(options: ListVersionsOptions = {}): Promise<Page<ModelVersion>> {
    const { model_id, labels, ...query } = options;
    const call = { query: { ...query, label: labelFilters(labels) } };
    const answer =
      model_id === undefined
        ? await this.#call<Schemas["ModelVersionList"]>("listAllModelVersions", call)
        : await this.#call<Schemas["ModelVersionList"]>("listModelVersions", {
            ...call,
            path: { model_id: checkId(model_id, "model_id") },
          });
    return Registry.#page(answer);
  }

  /**
   * Every version matching the filters, page after page.
   *
   * ```ts
   * for await (const version of registry.iterVersions({ model_id: model.id })) console.log(version.name);
   * ```
   */
  iterVersions(options: IterOptions<ListVersionsOptions> = {}): AsyncGenerator<ModelVersion, void, undefined> {
    const { pageSize, ...filters } = options;
    return Registry.#walk(pageSize, (limit, page_token) =>
      this.listVersions(page_token === undefined ? { ...filters, limit } : { ...filters, limit, page_token }),
    );
  }

  /**
   * Changes the fields given; `labels` replaces the whole map. With `model_id`, `NotFound` unless it is that model's.
   *
   * ```ts
   * await registry.updateVersion(v1.id, { status: "READY", is_default: true });
   * ```
   */
  async updateVersion(
    versionId: string,
    changes: UpdateVersion,
    options: { model_id?: string } & IfMatchOptions = {},
  ): Promise<ModelVersion> {
    const version_id = checkId(versionId, "versionId");
    const call = { body: changes, headers: ifMatchHeaders(options), etag: true };
    if (options.model_id === undefined) {
      return this.#call("updateModelVersionById", { ...call, path: { version_id } });
    }
    const model_id = checkId(options.model_id, "model_id");
    return this.#call("updateModelVersion", { ...call, path: { model_id, version_id } });
  }

  /**
   * Deletes a version that is neither `READY` nor the default (else `InvalidArgument`), nor named by an
   * alias (else `Conflict`, naming the alias).
   *
   * ```ts
   * await registry.deleteVersion(versionId);
   * ```
   */
  async deleteVersion(versionId: string, options: { model_id?: string } & IfMatchOptions = {}): Promise<void> {
    const version_id = checkId(versionId, "versionId");
    const headers = ifMatchHeaders(options);
    if (options.model_id === undefined) {
      await this.#call("deleteModelVersionById", { path: { version_id }, headers });
      return;
    }
    const path = { model_id: checkId(options.model_id, "model_id"), version_id };
    await this.#call("deleteModelVersion", { path, headers });
  }

  // --------------------------------------------------------------- artifacts

  /**
   * Adds an artifact to a model (a `PENDING` version, not the default).
   *
   * ```ts
   * const onnx = await registry.createArtifact({
   *   registered_model_id: model.id, name: "onnx", uri: "s3://a/onnx", model_framework: "pytorch", model_framework_version: "2.3",
   * });
   * ```
   */
  async createArtifact(artifact: CreateArtifact): Promise<ModelArtifact> {
    checkId(artifact.registered_model_id, "registered_model_id");
    return this.#call("createModelArtifact", { body: artifact, etag: true });
  }

  /**
   * An artifact by its id; `NotFound` when the project has none.
   *
   * ```ts
   * const artifact = await registry.getArtifact(artifactId);
   * ```
   */
  async getArtifact(artifactId: string): Promise<ModelArtifact> {
    return this.#call("getModelArtifact", { path: { artifact_id: checkId(artifactId, "artifactId") }, etag: true });
  }

  /**
   * The artifact of this name (the newest when several match), narrowed by `model_id`.
   *
   * ```ts
   * const artifact = await registry.findArtifact({ name: "onnx", model_id: model.id });
   * ```
   */
  async findArtifact(by: { name?: string; model_id?: string; artifact_id?: string }): Promise<ModelArtifact> {
    if (by.name === undefined && by.artifact_id === undefined) {
      throw new TypeError("findArtifact needs name or artifact_id");
    }
    return this.#call("findModelArtifact", {
      query: {
        name: by.name,
        registered_model_id: by.model_id === undefined ? undefined : checkId(by.model_id, "model_id"),
        externalId: by.artifact_id === undefined ? undefined : checkId(by.artifact_id, "artifact_id"),
      },
      etag: true,
    });
  }

  /**
   * One page of the project's artifacts, or of one model's.
   *
   * ```ts
   * const page = await registry.listArtifacts({ model_id: model.id });
   * ```
   */
  async listArtifacts(options: ListArtifactsOptions = {}): Promise<Page<ModelArtifact>> {
    const { model_id, labels, ...query } = options;
    const registered_model_id = model_id === undefined ? undefined : checkId(model_id, "model_id");
    const answer = await this.#call<Schemas["ModelArtifactList"]>("listModelArtifacts", {
      query: { ...query, registered_model_id, label: labelFilters(labels) },
    });
    return Registry.#page(answer);
  }

  /**
   * Every artifact matching the filters, page after page.
   *
   * ```ts
   * for await (const artifact of registry.iterArtifacts({ model_id: model.id })) console.log(artifact.uri);
   * ```
   */
  iterArtifacts(options: IterOptions<ListArtifactsOptions> = {}): AsyncGenerator<ModelArtifact, void, undefined> {
    const { pageSize, ...filters } = options;
    return Registry.#walk(pageSize, (limit, page_token) =>
      this.listArtifacts(page_token === undefined ? { ...filters, limit } : { ...filters, limit, page_token }),
    );
  }

  /**
   * Changes the fields given; `labels` replaces the whole map. With `ifMatch` (an `etag`),
   * `PreconditionFailed` when the artifact changed since.
   *
   * ```ts
   * await registry.updateArtifact(artifact.id, { uri: "s3://a/onnx-v2" });
   * ```
   */
  async updateArtifact(artifactId: string, changes: UpdateArtifact, options: IfMatchOptions = {}): Promise<ModelArtifact> {
    const path = { artifact_id: checkId(artifactId, "artifactId") };
    return this.#call("updateModelArtifact", { path, body: changes, headers: ifMatchHeaders(options), etag: true });
  }

  /**
   * Deletes an artifact that is neither `READY` nor the default (else `InvalidArgument`), nor named by an
   * alias (else `Conflict`, naming the alias).
   *
   * ```ts
   * await registry.deleteArtifact(artifact.id);
   * ```
   */
  async deleteArtifact(artifactId: string, options: IfMatchOptions = {}): Promise<void> {
    const path = { artifact_id: checkId(artifactId, "artifactId") };
    await this.#call("deleteModelArtifact", { path, headers: ifMatchHeaders(options) });
  }

  // ----------------------------------------------------------------- aliases

  /**
   * Points the model's alias (`champion`, `staging`, ...) at one of its versions: creates the alias, or
   * moves it, in one step; setting it to the version it already names changes nothing. With `ifMatch`
   * (the `etag` of an `Alias` this method answered), `PreconditionFailed` when the alias has moved since
   * (or no longer exists). `NotFound` for an unknown model or version; `InvalidArgument` for a version
   * of another model, or the reserved names `latest` and `default`. A name outside
   * `^[a-z][a-z0-9_-]{0,62}$` is a `TypeError`, before any call.
   *
   * ```ts
   * let champion = await registry.setAlias(model.id, "champion", v1.id);
   * // Later: move it to v2, unless someone moved it meanwhile.
   * champion = await registry.setAlias(model.id, "champion", v2.id, { ifMatch: champion.etag });
   * ```
   */
  async setAlias(modelId: string, alias: string, versionId: string, options: IfMatchOptions = {}): Promise<Alias> {
    const path = { model_id: checkId(modelId, "modelId"), alias: checkAlias(alias) };
    const body: Schemas["SetAlias"] = { version_id: checkId(versionId, "versionId") };
    return this.#call("setAlias", { path, body, headers: ifMatchHeaders(options), etag: true });
  }

  /**
   * The version the model's alias names (its `aliases` include `alias`); `NotFound` when the model, or
   * such an alias of it, does not exist.
   *
   * ```ts
   * const champion = await registry.getAlias(model.id, "champion");
   * console.log(champion.name, champion.uri);
   * ```
   */
  async getAlias(modelId: string, alias: string): Promise<ModelVersion> {
    const path = { model_id: checkId(modelId, "modelId"), alias: checkAlias(alias) };
    const answer = await this.#call<Schemas["AliasWithVersion"]>("getAlias", { path });
    return answer.version;
  }

  /**
   * Every alias of the model, sorted by name (not paged: a model has few); `NotFound` for an unknown model.
   *
   * ```ts
   * for (const alias of await registry.listAliases(model.id)) console.log(alias.alias, "->", alias.version_id);
   * ```
   */
  async listAliases(modelId: string): Promise<Alias[]> {
    const answer = await this.#call<Schemas["AliasList"]>("listAliases", { path: { model_id: checkId(modelId, "modelId") } });
    return answer.aliases;
  }

  /**
   * Deletes the model's alias; the version it named stays. With `ifMatch`, `PreconditionFailed` when the
   * alias has moved since. `NotFound` when the model, or such an alias of it, does not exist.
   *
   * ```ts
   * await registry.deleteAlias(model.id, "staging");
   * ```
   */
  async deleteAlias(modelId: string, alias: string, options: IfMatchOptions = {}): Promise<void> {
    const path = { model_id: checkId(modelId, "modelId"), alias: checkAlias(alias) };
    await this.#call("deleteAlias", { path, headers: ifMatchHeaders(options) });
  }

  // ------------------------------------------------------------------ events

  /**
   * One page of the project's change feed: the events after `after`, oldest
   * first, and `next_cursor`, where the next page starts (`events` walks them).
   * `CursorExpired` when retention removed the events after `after`;
   * `InvalidArgument` (naming `after`) for a cursor not of this project.
   *
   * ```ts
   * const page = await registry.listEvents({ limit: 100 });
   * for (const event of page) console.log(event.type, event.model_id);
   * const more = await registry.listEvents({ after: page.next_cursor, wait: 25 }); // held until something happens
   * ```
   */
  async listEvents(options: ListEventsOptions = {}): Promise<EventPage> {
    const { after, types, modelId, limit } = options;
    const wait = checkWait(options.wait ?? 0);
    const answer = await this.#call<Schemas["EventList"]>("listEvents", {
      query: {
        after,
        limit,
        type: types === undefined ? undefined : typeof types === "string" ? [types] : [...types],
        model_id: modelId === undefined ? undefined : checkId(modelId, "modelId"),
        wait: wait === 0 ? undefined : wait,
      },
      heldSeconds: wait,
    });
    const events = answer.events as Event[];
    return { events, next_cursor: answer.next_cursor, [Symbol.iterator]: () => events[Symbol.iterator]() };
  }

  /**
   * Every event after `after` (absent: from the oldest kept), oldest first,
   * following `next_cursor` page after page: each committed event exactly
   * once, never a gap. With `follow: true` it never ends: at the end of the
   * feed each request is held by the service up to `wait` seconds (default
   * 25) until an event commits. To resume after a restart, keep the `id` of
   * the last event handled and pass it as `after`.
   *
   * ```ts
   * for await (const event of registry.events({ after: savedCursor, follow: true, types: ["version.updated"] })) {
   *   if (event.changes?.["status"]?.to === "READY") console.log("ready:", event.version_id);
   *   savedCursor = event.id;
   * }
   * ```
   */
  async *events(options: EventsOptions = {}): AsyncGenerator<Event, void, undefined> {
    const { follow = false, ...page } = options;
    const wait = checkWait(options.wait ?? (follow ? FOLLOW_WAIT : 0));
    // Each empty answer would come back at once: a busy loop.
    if (follow && wait === 0) throw new RangeError("events({ follow: true }) needs wait of 1..30 seconds (default 25), got 0");
    let after = options.after;
    for (;;) {
      const answer = await this.listEvents({ ...page, after, wait });
      yield* answer.events;
      if (answer.events.length === 0 && !follow) return;
      after = answer.next_cursor;
    }
  }

  // ---------------------------------------------------------------- webhooks

  /**
   * Registers a webhook: every event of the project committed from now on whose type is in `event_types` (all of
   * them when omitted) is POSTed to `url`, signed. The answer's `secret` is the only time the service shows it: keep
   * it for `verifyWebhook` in the receiver. `InvalidArgument` (naming `url`) for a URL that is not http(s), carries
   * credentials, or names a host that is, or resolves to, a non-public address outside the service's
   * `WEBHOOK_ALLOWED_NETWORKS`, and for an unknown event type; `Conflict` when the project has 100 webhooks already.
   *
   * ```ts
   * const webhook = await registry.createWebhook({ url: "https://hooks.example/registry", event_types: ["version.updated"] });
   * storeSecret(webhook.id, webhook.secret); // shown this once
   * ```
   */
  async createWebhook(webhook: CreateWebhook): Promise<WebhookWithSecret> {
    return this.#call("createWebhook", { body: webhook, etag: true });
  }

  /**
   * Every webhook of the project, newest first (not paged: a project has at most 100), without their secrets.
   *
   * ```ts
   * for (const webhook of await registry.listWebhooks()) console.log(webhook.url, webhook.enabled);
   * ```
   */
  async listWebhooks(): Promise<Webhook[]> {
    const answer = await this.#call<Schemas["WebhookList"]>("listWebhooks");
    return answer.webhooks;
  }

  /**
   * A webhook (without its secret); `enabled` is `false` when it was disabled, by its owner or after 100 failed
   * deliveries in a row. `NotFound` when the project has no such webhook.
   *
   * ```ts
   * const webhook = await registry.getWebhook(webhookId);
   * ```
   */
  async getWebhook(webhookId: string): Promise<Webhook> {
    return this.#call("getWebhook", { path: { webhook_id: checkId(webhookId, "webhookId") }, etag: true });
  }

  /**
   * Changes the fields given; a new `url` is checked as at creation, `event_types` replaces the list.
   * `enabled: false` stops deliveries (events meanwhile are not delivered to it); `enabled: true` starts them again
   * and forgets the failures that disabled it. The secret stays.
   *
   * ```ts
   * await registry.updateWebhook(webhook.id, { enabled: true });
   * ```
   */
  async updateWebhook(webhookId: string, changes: UpdateWebhook, options: IfMatchOptions = {}): Promise<Webhook> {
    const path = { webhook_id: checkId(webhookId, "webhookId") };
    return this.#call("updateWebhook", { path, body: changes, headers: ifMatchHeaders(options), etag: true });
  }

  /**
   * Deletes a webhook and its deliveries' log; its pending deliveries are dropped.
   *
   * ```ts
   * await registry.deleteWebhook(webhook.id);
   * ```
   */
  async deleteWebhook(webhookId: string, options: IfMatchOptions = {}): Promise<void> {
    const path = { webhook_id: checkId(webhookId, "webhookId") };
    await this.#call("deleteWebhook", { path, headers: ifMatchHeaders(options) });
  }

  /**
   * Sends the webhook a `webhook.ping` event (`data`: `{ webhook_id }`), in the background and signed like any
   * other; answers its delivery, `pending`, whose outcome `listDeliveries` shows.
   *
   * ```ts
   * const ping = await registry.pingWebhook(webhook.id);
   * ```
   */
  async pingWebhook(webhookId: string): Promise<Delivery> {
    return this.#call("pingWebhook", { path: { webhook_id: checkId(webhookId, "webhookId") } });
  }

  /**
   * One page of the webhook's deliveries, newest first, each with what its attempts did; pass `next_page_token` as
   * `page_token` for the next page, or let `iterDeliveries` walk them.
   *
   * ```ts
   * for (const delivery of await registry.listDeliveries(webhook.id, { limit: 10 })) {
   *   console.log(delivery.event_type, delivery.status, delivery.response_status, delivery.error);
   * }
   * ```
   */
  async listDeliveries(webhookId: string, options: ListDeliveriesOptions = {}): Promise<DeliveryPage> {
    const answer = await this.#call<Schemas["DeliveryList"]>("listWebhookDeliveries", {
      path: { webhook_id: checkId(webhookId, "webhookId") },
      query: { limit: options.limit, page_token: options.page_token },
    });
    const deliveries = answer.deliveries;
    return {
      deliveries,
      next_page_token: answer.next_page_token || null,
      [Symbol.iterator]: () => deliveries[Symbol.iterator](),
    };
  }

  /**
   * Every delivery of the webhook, newest first, page after page (`pageSize` 1..100, default 100).
   *
   * ```ts
   * for await (const delivery of registry.iterDeliveries(webhook.id)) {
   *   if (delivery.status === "failed") await registry.redeliver(webhook.id, delivery.id);
   * }
   * ```
   */
  async *iterDeliveries(webhookId: string, options: { pageSize?: number } = {}): AsyncGenerator<Delivery, void, undefined> {
    const limit = options.pageSize ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new RangeError(`pageSize must be 1..100, got ${limit}`);
    let token: string | undefined;
    for (;;) {
      const page = await this.listDeliveries(webhookId, { limit, page_token: token });
      yield* page.deliveries;
      if (page.next_page_token === null) return;
      token = page.next_page_token;
    }
  }

  /**
   * Delivers a delivery's event again, whatever became of it: a new delivery (answered `pending`) of the same body,
   * with the same `event_id`, so the same `webhook-id` header. `NotFound` for an unknown webhook, or a delivery
   * not of it.
   *
   * ```ts
   * const again = await registry.redeliver(webhook.id, delivery.id);
   * ```
   */
  async redeliver(webhookId: string, deliveryId: string): Promise<Delivery> {
    return this.#call("redeliverWebhookDelivery", {
      path: { webhook_id: checkId(webhookId, "webhookId"), delivery_id: checkId(deliveryId, "deliveryId") },
    });
  }

  // --------------------------------------------------------------- shortcuts

  /**
   * Registers a version of the model `name`, creating the model first when the project has none of that name.
   *
   * ```ts
   * const v1 = await registry.registerModel("sentiment", { region_id: regionId }, {
   *   name: "v1", uri: "s3://models/sentiment/v1", model_framework: "pytorch", model_framework_version: "2.3",
   * });
   * ```
   */
  async registerModel(
    name: string,
    model: Omit<CreateModel, "name">,
    version: CreateVersion,
  ): Promise<ModelVersion> {
    let found: RegisteredModel;
    try {
      found = await this.findModel({ name });
    } catch (error) {
      if (!(error instanceof RegistryError) || error.code !== "not_found") throw error;
      try {
        found = await this.createModel({ ...model, name });
      } catch (conflict) {
        if (!(conflict instanceof RegistryError) || conflict.code !== "conflict") throw conflict;
        found = await this.findModel({ name }); // created meanwhile by another caller
      }
    }
    return this.createVersion(found.id, version);
  }
}

/** The `Registry` methods that call each operation of the API. */
export const operationMethods = {
  health: ["health"],
  createModel: ["createModel"],
  listModels: ["listModels", "iterModels"],
  getModel: ["getModel"],
  updateModel: ["updateModel"],
  deleteModel: ["deleteModel"],
  findModel: ["findModel"],
  createModelVersion: ["createVersion"],
  listModelVersions: ["listVersions", "iterVersions"],
  getModelVersion: ["getVersion"],
  updateModelVersion: ["updateVersion"],
  deleteModelVersion: ["deleteVersion"],
  listAllModelVersions: ["listVersions", "iterVersions"],
  getModelVersionById: ["getVersion"],
  updateModelVersionById: ["updateVersion"],
  deleteModelVersionById: ["deleteVersion"],
  findModelVersion: ["findVersion"],
  createModelArtifact: ["createArtifact"],
  listModelArtifacts: ["listArtifacts", "iterArtifacts"],
  getModelArtifact: ["getArtifact"],
  updateModelArtifact: ["updateArtifact"],
  deleteModelArtifact: ["deleteArtifact"],
  findModelArtifact: ["findArtifact"],
  listAliases: ["listAliases"],
  setAlias: ["setAlias"],
  getAlias: ["getAlias"],
  deleteAlias: ["deleteAlias"],
  listEvents: ["listEvents", "events"],
  createWebhook: ["createWebhook"],
  listWebhooks: ["listWebhooks"],
  getWebhook: ["getWebhook"],
  updateWebhook: ["updateWebhook"],
  deleteWebhook: ["deleteWebhook"],
  pingWebhook: ["pingWebhook"],
  listWebhookDeliveries: ["listDeliveries", "iterDeliveries"],
  redeliverWebhookDelivery: ["redeliver"],
} as const satisfies { readonly [Op in OperationId]: readonly (keyof Registry)[] };
