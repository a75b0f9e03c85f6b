// The TypeScript client of the Model Registry API: openapi-fetch over the
// types that openapi-typescript generates from openapi/model-registry.yaml
// (src/schema.d.ts; regenerate with scripts/generate-clients.sh).
//
//   const registry = createRegistryClient({ baseUrl: "http://localhost:8080" });
//   const { data, error, response } = await registry.GET("/api/v1/model-registry/models/{model_id}", {
//     params: { header: { "Project-ID": project }, path: { model_id: id } },
//   });
//
// Every answer is `{ data }` on success or `{ error }` (an `ApiError`, with
// the service's message and code) on a documented error status.

import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths };
export type Schemas = components["schemas"];
export type RegisteredModel = Schemas["RegisteredModel"];
export type ModelVersion = Schemas["ModelVersion"];
export type ModelArtifact = Schemas["ModelArtifact"];
export type ApiError = Schemas["Error"];

export type RegistryClient = Client<paths>;

/** A client of the registry at `baseUrl`. */
export function createRegistryClient(options: ClientOptions & { baseUrl: string }): RegistryClient {
  return createClient<paths>(options);
}
