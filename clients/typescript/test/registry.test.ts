// The SDK's `Registry` against the live service (and, for a service that is
// down or silent, a closed port and a stub server):
//   MODEL_REGISTRY_URL=http://127.0.0.1:8080 npm test
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import {
  Conflict,
  InvalidArgument,
  NotFound,
  OPERATIONS,
  PreconditionFailed,
  operationMethods,
  Registry,
  RegistryError,
  RouteNotFound,
  Unavailable,
  type OperationId,
  type operations,
} from "../src/index.js";

const URL_ = process.env.MODEL_REGISTRY_URL ?? "http://127.0.0.1:8080";
const version = { uri: "s3://m/v", model_framework: "pytorch", model_framework_version: "2.3" };

function project(options: Partial<ConstructorParameters<typeof Registry>[0]> = {}): Registry {
  return new Registry({ baseUrl: URL_, projectId: randomUUID(), ...options });
}

test("every operation of the spec has a Registry method", () => {
  // A compile error when src/schema.ts (the spec) gains an operation that OPERATIONS lacks.
  const covered: Record<keyof operations, unknown> = OPERATIONS;
  for (const [operation, methods] of Object.entries(operationMethods)) {
    assert.ok(operation in covered, operation);
    for (const method of methods) {
      assert.equal(typeof Registry.prototype[method], "function", `${operation} → ${method}`);
    }
  }
  assert.deepEqual(Object.keys(operationMethods).sort(), Object.keys(OPERATIONS).sort());
  const ids: OperationId[] = Object.keys(OPERATIONS) as OperationId[];
  assert.equal(ids.length, Object.keys(covered).length);
});

test("a model, its versions and artifacts through their whole life", async () => {
  const registry = project();
  const region = randomUUID();
  const model = await registry.createModel({
    name: "ts-sdk",
    region_id: region,
    labels: { team: "a" },
    tags: { frameworks: ["pytorch"] },
  });
  assert.equal(model.slug, "ts-sdk");
  assert.deepEqual(model.tags, { frameworks: ["pytorch"], architectures: [], tasks: [], subjects: [] });
  assert.equal((await registry.getModel(model.id)).id, model.id);
  assert.equal((await registry.findModel({ name: "ts-sdk" })).id, model.id);
  assert.equal((await registry.findModel({ model_id: model.id })).id, model.id);
  assert.equal((await registry.listModels({ search: "TS-" })).total, 1);
  assert.equal((await registry.updateModel(model.id, { model_size: 7 })).model_size, 7);

  const v1 = await registry.createVersion(model.id, { name: "v1", is_default: true, labels: { k: "v" }, ...version });
  assert.equal(v1.status, "PENDING");
  assert.equal((await registry.getVersion(v1.id)).name, "v1");
  assert.equal((await registry.getVersion(v1.id, { model_id: model.id })).id, v1.id);
  assert.equal((await registry.findVersion({ name: "v1", model_id: model.id })).id, v1.id);
  assert.equal((await registry.updateVersion(v1.id, { status: "READY" })).status, "READY");
  assert.equal((await registry.updateVersion(v1.id, { description: "n" }, { model_id: model.id })).description, "n");
  assert.equal((await registry.listVersions()).total, 1);
  assert.equal((await registry.listVersions({ model_id: model.id, labels: { k: "v" } })).total, 1);

  const artifact = await registry.createArtifact({ registered_model_id: model.id, name: "onnx", ...version });
  assert.equal((await registry.getArtifact(artifact.id)).name, "onnx");
  assert.equal((await registry.findArtifact({ name: "onnx", model_id: model.id })).id, artifact.id);
  assert.equal((await registry.updateArtifact(artifact.id, { uri: "s3://m/2" })).uri, "s3://m/2");
  assert.equal((await registry.listArtifacts({ model_id: model.id })).total, 2);

  await assert.rejects(registry.deleteVersion(v1.id), InvalidArgument);
  await registry.deleteArtifact(artifact.id);
  const spare = await registry.createVersion(model.id, { name: "spare", ...version });
  await registry.deleteVersion(spare.id, { model_id: model.id });
  await registry.updateVersion(v1.id, { status: "FAILED" });
  await registry.updateModel(model.id, { state: "ARCHIVED" });
  await registry.deleteModel(model.id);
  await assert.rejects(registry.getModel(model.id), NotFound);
  assert.equal(await registry.health(), true);

  const registered = await registry.registerModel("reg", { region_id: region }, { name: "v1", ...version });
  const again = await registry.registerModel("reg", { region_id: region }, { name: "v2", ...version });
  assert.equal(registered.registered_model_id, again.registered_model_id);
});

test("a write's etag makes the next write conditional; a stale one changes nothing", async () => {
  const registry = project();
  const model = await registry.createModel({ name: "conditional", region_id: randomUUID() });
  assert.equal(model.etag, (await registry.getModel(model.id)).etag, "a create answers the GET's ETag");
  const archived = await registry.updateModel(model.id, { state: "ARCHIVED" }, { ifMatch: model.etag });
  assert.notEqual(archived.etag, model.etag);
  const stale = (error: unknown) => error instanceof PreconditionFailed && error.status === 412;
  await assert.rejects(registry.updateModel(model.id, { description: "late" }, { ifMatch: model.etag }), stale);
  await assert.rejects(registry.deleteModel(model.id, { ifMatch: model.etag }), stale);
  assert.equal((await registry.getModel(model.id)).description, "");

  const v1 = await registry.createVersion(model.id, { name: "v1", ...version });
  const changed = await registry.updateVersion(v1.id, { description: "x" }, { model_id: model.id, ifMatch: v1.etag });
  assert.equal(changed.etag, (await registry.getVersion(v1.id)).etag);
  await assert.rejects(registry.deleteVersion(v1.id, { ifMatch: v1.etag }), stale);
  await registry.deleteVersion(v1.id, { ifMatch: changed.etag });
  // Without its one version, the model answers as it did when archived: that ETag names it again.
  await registry.deleteModel(model.id, { ifMatch: archived.etag });
});

test("pages, walkers and filters", async () => {
  const registry = project();
  const region = randomUUID();
  const ids = new Set<string>();
  for (let i = 0; i < 7; i++) {
    const labels = { parity: i % 2 === 0 ? "even" : "odd" };
    ids.add((await registry.createModel({ name: `p${i}`, region_id: region, labels, tags: { tasks: [`t${i % 3}`] } })).id);
  }
  const page = await registry.listModels({ limit: 3, sort_by: "name", order: "asc" });
  assert.deepEqual([...page].map((m) => m.name), ["p0", "p1", "p2"]);
  assert.equal(page.total, 7);
  assert.equal(page.page_size, 3);
  assert.equal(typeof page.next_page_token, "string");
  const seen = new Set<string>();
  for await (const model of registry.iterModels({ pageSize: 2 })) seen.add(model.id);
  assert.deepEqual(seen, ids);
  let even = 0;
  for await (const _ of registry.iterModels({ labels: { parity: "even" }, pageSize: 1 })) even++;
  assert.equal(even, 4);
  assert.equal((await registry.listModels({ tags: { tasks: "t0" } })).total, 3);
  assert.equal((await registry.listModels({ tags: { tasks: ["t0", "t1"] } })).total, 0);
  const last = await registry.listModels({ offset: 6 });
  assert.equal(last.next_page_token, null);
  const model = [...ids][0]!;
  for (let i = 0; i < 5; i++) await registry.createVersion(model, { name: `v${i}`, ...version });
  let versions = 0;
  for await (const _ of registry.iterVersions({ model_id: model, pageSize: 2 })) versions++;
  assert.equal(versions, 5);
  let artifacts = 0;
  for await (const _ of registry.iterArtifacts({ pageSize: 2 })) artifacts++;
  assert.equal(artifacts, 5);
});

test("every request with a body says Prefer: handling=strict, so unknown fields are refused", async () => {
  const sent: { method: string; prefer: string | null }[] = [];
  // A fetch that records what is sent, and slips a typo into one update.
  const typo: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    sent.push({ method: init?.method ?? "GET", prefer: headers.get("Prefer") });
    let body = init?.body;
    if (init?.method === "PATCH" && typeof body === "string" && body.includes('"typo-here"')) {
      body = JSON.stringify({ ...JSON.parse(body), stat: "ARCHIVED" });
    }
    return fetch(input, { ...init, body });
  };
  const registry = project({ fetch: typo });
  const model = await registry.createModel({ name: "strict", region_id: randomUUID() });
  await assert.rejects(registry.updateModel(model.id, { description: "typo-here" }), (error: unknown) => {
    assert.ok(error instanceof InvalidArgument);
    assert.equal(error.status, 400);
    assert.match(error.message, /unknown field "stat"/);
    return true;
  });
  assert.equal((await registry.getModel(model.id)).description, "", "nothing was written");
  assert.deepEqual(
    sent.map(({ method, prefer }) => `${method} ${prefer}`),
    ["POST handling=strict", "PATCH handling=strict", "GET null"],
  );
});

test("errors: the service's code, a wrong base URL, ids that are not UUIDs", async () => {
  const registry = project();
  const region = randomUUID();
  await registry.createModel({ name: "dup", region_id: region });
  await assert.rejects(registry.createModel({ name: "dup", region_id: region }), (error: unknown) => {
    assert.ok(error instanceof Conflict && error instanceof RegistryError);
    assert.equal(error.status, 409);
    assert.equal(error.code, "conflict");
    assert.ok(error.requestId);
    assert.equal(error.url, `${URL_}/api/v1/model-registry/models`);
    return true;
  });
  await assert.rejects(registry.getModel(randomUUID()), (error: unknown) => {
    assert.ok(error instanceof NotFound && !(error instanceof RouteNotFound));
    assert.equal(error.message, "registered model not found");
    return true;
  });
  await assert.rejects(registry.createModel({ name: " ", region_id: region }), InvalidArgument);

  const wrong = new Registry({ baseUrl: `${URL_}/api/v1`, projectId: randomUUID() });
  await assert.rejects(wrong.getModel(randomUUID()), (error: unknown) => {
    assert.ok(error instanceof RouteNotFound && !(error instanceof NotFound));
    assert.match(error.message, /check the base URL/);
    assert.equal(error.code, "route_not_found");
    return true;
  });
  const withBasePath = new Registry({ baseUrl: `${URL_}/api/v1/model-registry/`, projectId: randomUUID() });
  assert.equal(withBasePath.baseUrl, URL_);
  assert.equal((await withBasePath.listModels()).total, 0);

  assert.throws(() => new Registry({ baseUrl: URL_, projectId: "my-project" }), /projectId must be a UUID/);
  assert.throws(() => new Registry({ baseUrl: "localhost:8080", projectId: randomUUID() }), /baseUrl/);
  await assert.rejects(registry.getModel("../x"), /modelId must be a UUID/);
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

test("a service that is down, silent or answering 503 is Unavailable; retries when asked", async () => {
  const closed = await listen(() => {});
  closed.server.close();
  const down = new Registry({ baseUrl: closed.url, projectId: randomUUID() });
  await assert.rejects(down.listModels(), (error: unknown) => {
    assert.ok(error instanceof Unavailable);
    assert.equal(error.status, null);
    assert.equal(error.url, `${closed.url}/api/v1/model-registry/models`);
    assert.match(error.message, /unreachable.*ECONNREFUSED/);
    return true;
  });

  const silent = await listen(() => {});
  try {
    const slow = new Registry({ baseUrl: silent.url, projectId: randomUUID(), timeoutMs: 200 });
    await assert.rejects(slow.getModel(randomUUID()), (error: unknown) => {
      assert.ok(error instanceof Unavailable);
      assert.match(error.message, /no answer within 200 ms/);
      return true;
    });
  } finally {
    silent.server.closeAllConnections();
    silent.server.close();
  }

  const methods: string[] = [];
  let failures = 2;
  const flaky = await listen((request, response) => {
    methods.push(request.method ?? "");
    response.setHeader("content-type", "application/json");
    if (failures-- > 0 || request.method !== "GET") {
      response.statusCode = 503;
      response.end(JSON.stringify({ error: "the database is unavailable", code: "unavailable" }));
    } else {
      response.end(JSON.stringify({ items: [], total: 0, page_size: 20, next_offset: 0 }));
    }
  });
  try {
    const once = new Registry({ baseUrl: flaky.url, projectId: randomUUID() });
    await assert.rejects(once.listModels(), (error: unknown) => error instanceof Unavailable && error.status === 503);
    failures = 2;
    methods.length = 0;
    const patient = new Registry({ baseUrl: flaky.url, projectId: randomUUID(), retries: 2, backoffMs: 5 });
    assert.equal((await patient.listModels()).total, 0);
    assert.deepEqual(methods, ["GET", "GET", "GET"]);
    methods.length = 0;
    await assert.rejects(patient.createModel({ name: "x", region_id: randomUUID() }), Unavailable);
    assert.deepEqual(methods, ["POST"]);
  } finally {
    flaky.server.close();
  }
});
