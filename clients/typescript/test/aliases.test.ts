// Aliases in the SDK: `setAlias` (create, move, conditionally with
// `ifMatch`), `getAlias` (the version it names), `listAliases`,
// `deleteAlias`; the versions' `aliases`; an aliased version kept from
// deletion; the history in the change feed. Against the live service, and
// a stub server for retries:
//   MODEL_REGISTRY_URL=http://127.0.0.1:8080 npm test
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import {
  Conflict,
  InvalidArgument,
  NotFound,
  PreconditionFailed,
  Registry,
  Unavailable,
  type Event,
} from "../src/index.js";

const URL_ = process.env.MODEL_REGISTRY_URL ?? "http://127.0.0.1:8080";
const version = { uri: "s3://m/v", model_framework: "pytorch", model_framework_version: "2.3" };

function project(): Registry {
  return new Registry({ baseUrl: URL_, projectId: randomUUID() });
}

test("an alias is set, moved with ifMatch, resolved, listed and deleted", async () => {
  const registry = project();
  const model = await registry.createModel({ name: "aliased", region_id: randomUUID() });
  const v1 = await registry.createVersion(model.id, { name: "v1", ...version });
  const v2 = await registry.createVersion(model.id, { name: "v2", is_default: true, ...version });
  assert.deepEqual(v1.aliases, []);
  assert.deepEqual(await registry.listAliases(model.id), []);

  const champion = await registry.setAlias(model.id, "champion", v1.id);
  assert.deepEqual([champion.alias, champion.model_id, champion.version_id], ["champion", model.id, v1.id]);
  assert.ok(!Number.isNaN(Date.parse(champion.updated_at)));
  assert.ok(champion.etag?.startsWith('"'), "the alias's ETag");
  const resolved = await registry.getAlias(model.id, "champion");
  assert.equal(resolved.id, v1.id);
  assert.deepEqual(resolved.aliases, ["champion"]);
  assert.deepEqual((await registry.getVersion(v1.id)).aliases, ["champion"]);

  const moved = await registry.setAlias(model.id, "champion", v2.id, { ifMatch: champion.etag });
  assert.equal(moved.version_id, v2.id);
  assert.notEqual(moved.etag, champion.etag);
  await assert.rejects(registry.setAlias(model.id, "champion", v1.id, { ifMatch: champion.etag }), (error: unknown) => {
    assert.ok(error instanceof PreconditionFailed);
    assert.equal(error.status, 412);
    return true;
  });
  assert.equal((await registry.getAlias(model.id, "champion")).id, v2.id, "a stale move changes nothing");

  await registry.setAlias(model.id, "staging", v2.id);
  await registry.setAlias(model.id, "canary", v1.id);
  assert.deepEqual(
    (await registry.listAliases(model.id)).map((alias) => [alias.alias, alias.version_id]),
    [["canary", v1.id], ["champion", v2.id], ["staging", v2.id]],
  );
  assert.deepEqual((await registry.getModel(model.id)).default_version?.aliases, ["champion", "staging"]);

  // The version an alias names stays until the alias moves or goes.
  await assert.rejects(registry.deleteVersion(v1.id), (error: unknown) => {
    assert.ok(error instanceof Conflict);
    assert.match(error.message, /"canary"/);
    return true;
  });
  await assert.rejects(registry.deleteAlias(model.id, "canary", { ifMatch: champion.etag }), PreconditionFailed);
  await registry.deleteAlias(model.id, "canary");
  await assert.rejects(registry.getAlias(model.id, "canary"), NotFound);
  await registry.deleteVersion(v1.id);
  assert.deepEqual((await registry.listAliases(model.id)).map((alias) => alias.alias), ["champion", "staging"]);
});

test("bad aliases: reserved, another model's version, unknown, malformed", async () => {
  const registry = project();
  const model = await registry.createModel({ name: "bad", region_id: randomUUID() });
  const other = await registry.createModel({ name: "other", region_id: randomUUID() });
  const mine = await registry.createVersion(model.id, { name: "v1", ...version });
  const theirs = await registry.createVersion(other.id, { name: "v1", ...version });
  await assert.rejects(registry.setAlias(model.id, "latest", mine.id), InvalidArgument);
  await assert.rejects(registry.setAlias(model.id, "default", mine.id), InvalidArgument);
  await assert.rejects(registry.setAlias(model.id, "champion", theirs.id), InvalidArgument);
  await assert.rejects(registry.setAlias(model.id, "champion", randomUUID()), NotFound);
  await assert.rejects(registry.listAliases(randomUUID()), NotFound);
  await assert.rejects(registry.setAlias(model.id, "champion", mine.id, { ifMatch: '"not-its-etag"' }), PreconditionFailed);
  assert.deepEqual(await registry.listAliases(model.id), [], "nothing was written");
  for (const name of ["", "Champion", "1st", "a".repeat(64), "../versions"]) {
    await assert.rejects(registry.setAlias(model.id, name, mine.id), /alias must be/);
    await assert.rejects(registry.getAlias(model.id, name), /alias must be/);
  }
  assert.equal((await registry.setAlias(model.id, "a".repeat(63), mine.id)).alias, "a".repeat(63));
});

test("which version was champion: the alias events", async () => {
  const registry = project();
  const model = await registry.createModel({ name: "history", region_id: randomUUID() });
  const v1 = await registry.createVersion(model.id, { name: "v1", ...version });
  const v2 = await registry.createVersion(model.id, { name: "v2", ...version });
  await registry.setAlias(model.id, "champion", v1.id);
  await registry.setAlias(model.id, "champion", v1.id); // no change: no event
  await registry.setAlias(model.id, "champion", v2.id);
  await registry.deleteAlias(model.id, "champion");
  const events: Event[] = [];
  for await (const event of registry.events({ modelId: model.id, types: ["alias.set", "alias.deleted"] })) {
    events.push(event);
  }
  assert.deepEqual(
    events.map((event) => [event.type, event.data["alias"], event.changes?.["version_id"] ?? null]),
    [
      ["alias.set", "champion", { from: null, to: v1.id }],
      ["alias.set", "champion", { from: v1.id, to: v2.id }],
      ["alias.deleted", "champion", null],
    ],
  );
});

test("setAlias is retried when asked, deleteAlias never", async () => {
  const methods: string[] = [];
  let failures = 2;
  const alias = { alias: "champion", model_id: randomUUID(), version_id: randomUUID(), updated_at: "2026-02-10T04:02:51Z" };
  const server = createServer((request, response) => {
    methods.push(request.method ?? "");
    response.setHeader("content-type", "application/json");
    if (failures-- > 0 || request.method !== "PUT") {
      response.statusCode = 503;
      response.end(JSON.stringify({ error: "the database is unavailable", code: "unavailable" }));
    } else {
      response.setHeader("etag", '"e1"');
      response.end(JSON.stringify(alias));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const patient = new Registry({ baseUrl, projectId: randomUUID(), retries: 2, backoffMs: 5 });
    const set = await patient.setAlias(alias.model_id, "champion", alias.version_id);
    assert.deepEqual(set, { ...alias, etag: '"e1"' });
    assert.deepEqual(methods, ["PUT", "PUT", "PUT"]);
    methods.length = 0;
    await assert.rejects(patient.deleteAlias(alias.model_id, "champion"), Unavailable);
    assert.deepEqual(methods, ["DELETE"]);
  } finally {
    server.close();
  }
});
