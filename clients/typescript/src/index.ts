// The Model Registry's TypeScript SDK.
//
// `Registry`: one object per project with a method per operation of the API
// (src/registry.ts), errors thrown as `RegistryError` subclasses
// (src/errors.ts), async iterators over every page; `verifyWebhook`, for a
// webhook's receiver (src/webhooks.ts).
//
// Beneath it, for calls by path: `createRegistryClient`, an openapi-fetch
// client typed from the OpenAPI document (src/schema.ts; regenerate with
// scripts/generate-clients.sh), with `unwrap` and `pages`.
//
//   const registry = createRegistryClient({ baseUrl: "http://localhost:8080", projectId });
//   const model = await unwrap(registry.GET("/api/v1/model-registry/models/{model_id}", {
//     params: { path: { model_id: id } },
//   }));

import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";
import { errorFromAnswer } from "./errors.js";

export * from "./errors.js";
export * from "./registry.js";
export * from "./webhooks.js";
export type { components, operations, paths };
export type Schemas = components["schemas"];
export type ApiError = Schemas["ErrorResponse"];

/** The operations' parameters with `Project-ID` optional: the client sends it. */
type ProjectHeaderOptional<Params> = Params extends { header: infer Header }
  ? Omit<Params, "header"> & { header?: Partial<Header> }
  : Params;
type WithProjectHeaderOptional<Operation> = Operation extends { parameters: infer Params }
  ? Omit<Operation, "parameters"> & { parameters: ProjectHeaderOptional<Params> }
  : Operation;

/** `paths`, as a client made with a `projectId` may call them. */
export type RegistryPaths = {
  [Path in keyof paths]: {
    [Method in keyof paths[Path]]: WithProjectHeaderOptional<paths[Path][Method]>;
  };
};

export type RegistryClient = Client<RegistryPaths>;

export interface RegistryClientOptions extends Omit<ClientOptions, "headers"> {
  baseUrl: string;
  /** Sent as `Project-ID` on every call. */
  projectId?: string;
  /** Sent as `Authorization: Bearer <token>` when the service wants one. */
  token?: string;
  headers?: Record<string, string>;
}

/** A client of the registry at `baseUrl`, for one project. */
export function createRegistryClient({ projectId, token, headers, ...options }: RegistryClientOptions): RegistryClient {
  const all: Record<string, string> = { ...headers };
  if (projectId !== undefined) all["Project-ID"] = projectId;
  if (token !== undefined) all["Authorization"] = `Bearer ${token}`;
  return createClient<RegistryPaths>({ ...options, headers: all });
}

interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer; any other is thrown as a `RegistryError`. */
export async function unwrap<A extends Answer>(call: Promise<A>): Promise<NonNullable<A["data"]>> {
  const answer = await call;
  if (!answer.response.ok || answer.data === undefined) {
    const url = answer.response.url;
    throw errorFromAnswer(answer.response, answer.error, { method: "", url, baseUrl: new URL(url).origin });
  }
  return answer.data as NonNullable<A["data"]>;
}

interface ListPage<Item> {
  items: Item[];
  total: number;
  next_page_token?: string | null;
}

/**
 * Every item of a list, page after page; each page continues after the last
 * one (`page_token`), so items created meanwhile neither repeat nor shift it:
 *
 *   for await (const model of pages((page) =>
 *     registry.GET("/api/v1/model-registry/models", { params: { query: page } }))) { ... }
 */
export async function* pages<Item>(
  fetchPage: (page: { limit: number; page_token?: string }) => Promise<{
    data?: ListPage<Item>;
    error?: unknown;
    response: Response;
  }>,
  pageSize = 100,
): AsyncGenerator<Item, void, undefined> {
  let token: string | undefined;
  for (;;) {
    const query = token === undefined ? { limit: pageSize } : { limit: pageSize, page_token: token };
    const page: ListPage<Item> = await unwrap(fetchPage(query));
    yield* page.items;
    if (!page.next_page_token) return;
    token = page.next_page_token;
  }
}
