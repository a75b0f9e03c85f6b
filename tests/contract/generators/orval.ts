// A user's file against the client orval writes from
// openapi/model-registry.yaml with orval.config.mjs (`output.headers: true`,
// into out/orval/), compiled with `strict`. Compiled, not run.
import {
  createModel,
  createModelVersion,
  getModel,
  health,
  listEvents,
  listModels,
  updateModel,
} from "./out/orval/registry";
import type * as Api from "./out/orval/registry";
import type {
  ErrorResponse,
  Event,
  EventType,
  Labels,
  ModelVersion,
  RegisteredModel,
} from "./out/orval/registry";

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

export async function tour(): Promise<RegisteredModel> {
  const up = await health();
  if (up.status !== 200) {
    throw new Error("the service is not healthy"); // the built-in Error
  }
  const labels: Labels = { env: "test" };
  const created = await createModel(
    { name: "test-llm", region_id: "3c9a1f52-7e48-4b6d-a2f0-5d8e9b1c4a73", labels },
    headers,
  );
  if (created.status !== 201) {
    const body: ErrorResponse = created.data;
    throw new Error(`${body.code}: ${body.error}`);
  }
  const model: RegisteredModel = created.data;
  // Required and nullable: present, and possibly null.
  const owner: string | null = model.owner_id;
  const parent: string | null = model.parent_model_id;
  void owner;
  void parent;

  const version = await createModelVersion(
    model.id,
    {
      name: "v1",
      model_framework: "pytorch",
      model_framework_version: "2.5",
      uri: "s3://models/test-llm/v1",
      is_default: true,
    },
    headers,
  );
  if (version.status === 201) {
    const createdBy: string | null = version.data.created_by_id;
    void createdBy;
  }

  // With `output.headers: true`, Project-ID is a required argument.
  // @ts-expect-error the headers are missing
  await getModel(model.id);

  const page = await listModels(headers, { limit: 10, label: ["env:test"] });
  if (page.status === 200) {
    for (const item of page.data.items) {
      const env: string | undefined = item.labels["env"];
      void env;
    }
  }

  const patched = await updateModel(
    model.id,
    { labels: { env: "prod" }, state: "ARCHIVED" },
    headers,
  );
  if (patched.status !== 200) {
    throw new Error(`update answered ${patched.status}`);
  }
  return patched.data;
}

// The change feed: each event once, following `next_cursor`; an empty
// answer is held up to `wait` seconds. `version_id` is required and nullable.
export async function follow(after: string | undefined, handle: (event: Event) => void): Promise<never> {
  const types: EventType[] = ["version.updated", "model.deleted"];
  let cursor = after;
  for (;;) {
    const page = await listEvents(headers, { after: cursor, wait: 25, type: types, limit: 1000 });
    if (page.status !== 200) {
      throw new Error(`${page.data.code}: ${page.data.error}`);
    }
    for (const event of page.data.events) {
      const version: string | null = event.version_id;
      void version;
      handle(event);
    }
    cursor = page.data.next_cursor;
  }
}
