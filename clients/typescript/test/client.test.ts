// The generated TypeScript client against the live service:
//   MODEL_REGISTRY_URL=http://127.0.0.1:8080 npm test
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

import { createRegistryClient, pages, RegistryError, unwrap, type ApiError } from "../src/index.js";

const registry = createRegistryClient({ baseUrl: process.env.MODEL_REGISTRY_URL ?? "http://127.0.0.1:8080" });
const BASE = "/api/v1/model-registry";

test("a model, a version and an artifact through their whole life", async () => {
  const header = { "Project-ID": randomUUID() };

  const created = await registry.POST(`${BASE}/models`, {
    params: { header },
    body: { name: "ts-llm", region_id: randomUUID(), model_type: "llm", labels: { env: "test" } },
  });
  assert.equal(created.response.status, 201);
  const model = created.data!;
  assert.equal(model.slug, "ts-llm");
  assert.deepEqual(model.tags, { frameworks: [], architectures: [], tasks: [], subjects: [] });
  const modelPath = { model_id: model.id };

  const version = await registry.POST(`${BASE}/models/{model_id}/versions`, {
    params: { header, path: modelPath },
    body: {
      name: "v1.0",
      model_framework: "pytorch",
      model_framework_version: "2.1.0",
      uri: "s3://models/llm/v1",
      is_default: true,
      access_key: "never-shown",
    },
  });
  assert.equal(version.response.status, 201);
  const versionId = version.data!.id;
  assert.equal(version.data!.status, "PENDING");
  assert.ok(!("access_key" in version.data!));

  const artifact = await registry.POST(`${BASE}/model_artifacts`, {
    params: { header },
    body: {
      registered_model_id: model.id,
      name: "onnx-export",
      model_framework: "pytorch",
      model_framework_version: "2.1.0",
      uri: "s3://artifacts/onnx-v1",
      artifact_type: "onnx",
    },
  });
  assert.equal(artifact.response.status, 201);
  const artifactId = artifact.data!.id;

  // Read back by id, by find and by list.
  const read = await registry.GET(`${BASE}/models/{model_id}`, { params: { header, path: modelPath } });
  assert.equal(read.data!.version_count, 2);
  assert.equal(read.data!.default_version?.id, versionId);
  assert.equal(read.data!.latest_version?.id, artifactId);
  const found = await registry.GET(`${BASE}/model`, { params: { header, query: { name: "ts-llm" } } });
  assert.equal(found.data!.id, model.id);
  const listed = await registry.GET(`${BASE}/models`, { params: { header, query: { limit: 10, sort_by: "name" } } });
  assert.equal(listed.data!.total, 1);

  const nested = await registry.GET(`${BASE}/models/{model_id}/versions/{version_id}`, {
    params: { header, path: { ...modelPath, version_id: versionId } },
  });
  assert.equal(nested.data!.name, "v1.0");
  const direct = await registry.GET(`${BASE}/model_versions/{version_id}`, {
    params: { header, path: { version_id: versionId } },
  });
  assert.equal(direct.data!.is_default, true);
  const foundVersion = await registry.GET(`${BASE}/model_version`, {
    params: { header, query: { name: "v1.0", registered_model_id: model.id } },
  });
  assert.equal(foundVersion.data!.id, versionId);
  const versions = await registry.GET(`${BASE}/models/{model_id}/versions`, { params: { header, path: modelPath } });
  assert.equal(versions.data!.total, 2);
  const allVersions = await registry.GET(`${BASE}/model_versions`, { params: { header, query: { status: "PENDING" } } });
  assert.equal(allVersions.data!.total, 2);

  const gotArtifact = await registry.GET(`${BASE}/model_artifacts/{artifact_id}`, {
    params: { header, path: { artifact_id: artifactId } },
  });
  assert.equal(gotArtifact.data!.artifact_type, "onnx");
  const foundArtifact = await registry.GET(`${BASE}/model_artifact`, {
    params: { header, query: { name: "onnx-export", parentResourceId: model.id } },
  });
  assert.equal(foundArtifact.data!.id, artifactId);
  const artifacts = await registry.GET(`${BASE}/model_artifacts`, { params: { header } });
  assert.equal(artifacts.data!.total, 2);

  // Patch.
  const patched = await registry.PATCH(`${BASE}/models/{model_id}`, {
    params: { header, path: modelPath },
    body: { description: "Updated", labels: { env: "prod" } },
  });
  assert.deepEqual(patched.data!.labels, { env: "prod" });
  const ready = await registry.PATCH(`${BASE}/model_versions/{version_id}`, {
    params: { header, path: { version_id: versionId } },
    body: { status: "READY" },
  });
  assert.equal(ready.data!.status, "READY");
  const moved = await registry.PATCH(`${BASE}/model_artifacts/{artifact_id}`, {
    params: { header, path: { artifact_id: artifactId } },
    body: { uri: "s3://artifacts/onnx-v1-optimized" },
  });
  assert.equal(moved.data!.uri, "s3://artifacts/onnx-v1-optimized");

  // Archive, then delete once no version is READY.
  await registry.PATCH(`${BASE}/models/{model_id}`, { params: { header, path: modelPath }, body: { state: "ARCHIVED" } });
  const refused = await registry.DELETE(`${BASE}/models/{model_id}`, { params: { header, path: modelPath } });
  assert.equal(refused.response.status, 400);
  assert.equal(refused.error?.error, "cannot delete model: must be archived with no READY versions");
  await registry.PATCH(`${BASE}/models/{model_id}/versions/{version_id}`, {
    params: { header, path: { ...modelPath, version_id: versionId } },
    body: { status: "FAILED" },
  });
  const deleted = await registry.DELETE(`${BASE}/models/{model_id}`, { params: { header, path: modelPath } });
  assert.deepEqual(deleted.data, { status: "deleted" });
});

test("400, 404 and 409 come back as typed errors with their message", async () => {
  const header = { "Project-ID": randomUUID() };

  const missing = await registry.GET(`${BASE}/models/{model_id}`, {
    params: { header, path: { model_id: randomUUID() } },
  });
  assert.equal(missing.response.status, 404);
  const notFound: ApiError | undefined = missing.error;
  assert.deepEqual(notFound, { error: "registered model not found", code: "not_found" });

  const body = { name: "twice", region_id: randomUUID() };
  assert.equal((await registry.POST(`${BASE}/models`, { params: { header }, body })).response.status, 201);
  const conflict = await registry.POST(`${BASE}/models`, { params: { header }, body });
  assert.equal(conflict.response.status, 409);
  assert.equal(conflict.error?.error, "model with this name already exists in the project");
  assert.equal(conflict.error?.code, "conflict");

  const blank = await registry.POST(`${BASE}/models`, { params: { header }, body: { name: " ", region_id: randomUUID() } });
  assert.equal(blank.response.status, 400);
  assert.equal(blank.error?.code, "invalid_argument");
  assert.match(blank.error?.error ?? "", /name/);
});

test("project id set once, partial tags, unwrap's typed errors and every page", async () => {
  const project = createRegistryClient({
    baseUrl: process.env.MODEL_REGISTRY_URL ?? "http://127.0.0.1:8080",
    projectId: randomUUID(),
  });
  const region = randomUUID();
  const ids = new Set<string>();
  for (let i = 0; i < 7; i++) {
    const model = await unwrap(
      project.POST(`${BASE}/models`, {
        body: { name: `page-${i}`, region_id: region, tags: { frameworks: ["onnx"] } },
      }),
    );
    assert.deepEqual(model.tags.tasks, []);
    ids.add(model.id);
  }
  const seen = new Set<string>();
  for await (const model of pages(
    (page) => project.GET(`${BASE}/models`, { params: { query: page } }),
    3,
  )) {
    seen.add(model.id);
  }
  assert.deepEqual(seen, ids);

  await assert.rejects(
    unwrap(project.GET(`${BASE}/models/{model_id}`, { params: { path: { model_id: randomUUID() } } })),
    (error: unknown) =>
      error instanceof RegistryError &&
      error.status === 404 &&
      error.code === "not_found" &&
      error.requestId !== null,
  );
});
