// A user's file against the client @hey-api/openapi-ts writes from
// openapi/model-registry.yaml (into out/hey-api/), compiled with `strict`.
// It is compiled, not run: it holds the spec to what such a user types.
import { client } from "./out/hey-api/client.gen";
import {
  createModel,
  createModelVersion,
  getModel,
  health,
  listEvents,
  listModels,
  updateModel,
} from "./out/hey-api/sdk.gen";
import type * as Api from "./out/hey-api/types.gen";
import type {
  ErrorResponse,
  Event,
  EventType,
  Labels,
  ModelVersion,
  RegisteredModel,
  RegisteredModelList,
} from "./out/hey-api/types.gen";

// The error body's schema shadows nothing: the output has no `Error`.
// @ts-expect-error no schema is named Error
export type NoErrorSchema = Api.Error;

// One labels type, the same everywhere labels appear.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const labelsShared: [
  Same<RegisteredModel["labels"], Labels>,
  Same<ModelVersion["labels"], Labels>,
  Same<NonNullable<Api.UpdateModel["labels"]>, Labels>,
  Same<NonNullable<Api.CreateArtifact["labels"]>, Labels>,
] = [true, true, true, true];

const headers = { "Project-ID": "11111111-1111-1111-1111-111111111111" };

export async function tour(baseUrl: string): Promise<RegisteredModel> {
  client.setConfig({ baseUrl });
  const up = await health();
  if (up.data?.status !== "ok") {
    throw new Error("the service is not healthy"); // the built-in Error
  }
  const labels: Labels = { env: "test" };
  const created = await createModel({
    headers,
    body: { name: "test-llm", region_id: "3c9a1f52-7e48-4b6d-a2f0-5d8e9b1c4a73", labels },
  });
  if (created.error !== undefined) {
    const body: ErrorResponse = created.error;
    throw new Error(`${body.code}: ${body.error}`);
  }
  const model: RegisteredModel = created.data;
  // Required and nullable: present, and possibly null.
  const owner: string | null = model.owner_id;
  const parent: string | null = model.parent_model_id;
  void owner;
  void parent;

  const version = await createModelVersion({
    headers,
    path: { model_id: model.id },
    body: {
      name: "v1",
      model_framework: "pytorch",
      model_framework_version: "2.5",
      uri: "s3://models/test-llm/v1",
      is_default: true,
    },
  });
  const createdBy: string | null | undefined = version.data?.created_by_id;
  void createdBy;

  // Project-ID is required on every operation.
  // @ts-expect-error the headers are missing
  await getModel({ path: { model_id: model.id } });

  const page = await listModels({ headers, query: { limit: 10, label: ["env:test"] } });
  const list: RegisteredModelList | undefined = page.data;
  for (const item of list?.items ?? []) {
    const env: string | undefined = item.labels["env"];
    void env;
  }

  const patched = await updateModel({
    headers,
    path: { model_id: model.id },
    body: { labels: { env: "prod" }, state: "ARCHIVED" },
  });
  if (patched.error !== undefined) {
    throw new Error(patched.error.error);
  }
  return patched.data;
}

// The change feed: each event once, following `next_cursor`; an empty
// answer is held up to `wait` seconds. `version_id` is required and nullable.
export async function follow(after: string | undefined, handle: (event: Event) => void): Promise<never> {
  const types: EventType[] = ["version.updated", "model.deleted"];
  let cursor = after;
  for (;;) {
    const page = await listEvents({ headers, query: { after: cursor, wait: 25, type: types, limit: 1000 } });
    if (page.error !== undefined) {
      throw new Error(`${page.error.code}: ${page.error.error}`);
    }
    for (const event of page.data.events) {
      const version: string | null = event.version_id;
      void version;
      handle(event);
    }
    cursor = page.data.next_cursor;
  }
}
