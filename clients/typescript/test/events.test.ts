// The change feed in the SDK: `listEvents` (one page) and `events` (every
// event, following the cursor; with `follow: true`, forever, long-polling),
// against the live service, and a stub server for 410 and a held answer:
//   MODEL_REGISTRY_URL=http://127.0.0.1:8080 npm test
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { CursorExpired, InvalidArgument, Registry, RegistryError, type Event } from "../src/index.js";

const URL_ = process.env.MODEL_REGISTRY_URL ?? "http://127.0.0.1:8080";
const version = { uri: "s3://m/v", model_framework: "pytorch", model_framework_version: "2.3" };

function project(): Registry {
  return new Registry({ baseUrl: URL_, projectId: randomUUID() });
}

async function all(events: AsyncIterable<Event>): Promise<Event[]> {
  const seen: Event[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

test("every write is an event; pages, cursors and filters", async () => {
  const registry = project();
  const model = await registry.createModel({ name: "feed", region_id: randomUUID() });
  const v1 = await registry.createVersion(model.id, { name: "v1", ...version });
  await registry.updateVersion(v1.id, { status: "READY" });
  const other = await registry.createModel({ name: "other", region_id: randomUUID() });

  const events = await all(registry.events());
  assert.deepEqual(
    events.map((event) => event.type),
    ["model.created", "version.created", "version.updated", "model.created"],
  );
  const [created, versionCreated, updated] = events as [Event, Event, Event];
  assert.equal(created.project_id, registry.projectId);
  assert.equal(created.model_id, model.id);
  assert.equal(created.version_id, null);
  assert.equal(created.changes, null);
  assert.equal(created.data["name"], "feed");
  assert.equal(versionCreated.version_id, v1.id);
  assert.deepEqual(updated.changes?.["status"], { from: "PENDING", to: "READY" });
  assert.ok(!Number.isNaN(Date.parse(created.occurred_at)) && created.request_id);

  const page = await registry.listEvents({ limit: 2 });
  assert.deepEqual([...page], events.slice(0, 2));
  assert.equal(page.next_cursor, events[1]?.id);
  const rest = await registry.listEvents({ after: page.next_cursor });
  assert.deepEqual(rest.events, events.slice(2));
  const end = await registry.listEvents({ after: rest.next_cursor });
  assert.deepEqual(end.events, []);
  assert.equal(end.next_cursor, rest.next_cursor);
  assert.deepEqual(await all(registry.events({ limit: 1 })), events);

  assert.deepEqual((await all(registry.events({ modelId: other.id }))).map((e) => e.type), ["model.created"]);
  assert.deepEqual(
    (await all(registry.events({ types: ["version.created", "version.updated"] }))).map((e) => e.version_id),
    [v1.id, v1.id],
  );
  assert.equal((await all(registry.events({ types: "model.created", modelId: model.id }))).length, 1);
  assert.deepEqual(await all(project().events()), []);
});

test("follow picks up a write made after it started, held not polled", async () => {
  const sent: string[] = [];
  const counting: typeof fetch = (input, init) => {
    sent.push(String(input));
    return fetch(input, init);
  };
  const registry = new Registry({ baseUrl: URL_, projectId: randomUUID(), fetch: counting });
  const model = await registry.createModel({ name: "followed", region_id: randomUUID() });
  sent.length = 0;
  const feed = registry.events({ follow: true, wait: 10 });
  assert.equal((await feed.next()).value?.type, "model.created");
  const started = Date.now();
  const next = feed.next(); // held by the service until the write commits
  await new Promise((resolve) => setTimeout(resolve, 300));
  await registry.updateModel(model.id, { description: "later" });
  const late = await next;
  assert.equal(late.value?.type, "model.updated");
  assert.deepEqual(late.value?.changes, { description: { from: "", to: "later" } });
  assert.ok(Date.now() - started < 5000);
  // The first page, then one request held until the write: no polling.
  const feeds = sent.map((url) => new URL(url)).filter((url) => url.pathname.endsWith("/events"));
  assert.deepEqual(feeds.map((url) => url.searchParams.get("wait")), ["10", "10"]);
  await feed.return();
});

test("bad input names the parameter", async () => {
  const registry = project();
  await registry.createModel({ name: "m", region_id: randomUUID() });
  const cursor = (await registry.listEvents()).next_cursor;
  const tampered = cursor.slice(0, -2) + (cursor.endsWith("AB") ? "CD" : "AB");
  for (const after of [tampered, "not-a-cursor"]) {
    await assert.rejects(registry.listEvents({ after }), (error: unknown) => {
      assert.ok(error instanceof InvalidArgument);
      assert.match(error.message, /after/);
      return true;
    });
  }
  await assert.rejects(project().listEvents({ after: cursor }), /after/);
  await assert.rejects(registry.listEvents({ limit: 1001 }), (error: unknown) =>
    error instanceof InvalidArgument && /limit/.test(error.message));
  await assert.rejects(registry.listEvents({ wait: 31 }), RangeError);
  await assert.rejects(registry.events({ follow: true, wait: 0 }).next(), /wait/);
  await assert.rejects(registry.listEvents({ modelId: "nope" }), /modelId must be a UUID/);
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

test("410 is CursorExpired; a held answer outlasts timeoutMs", async () => {
  const urls: string[] = [];
  const stub = await listen((request, response) => {
    urls.push(request.url ?? "");
    response.setHeader("content-type", "application/json");
    if (new URL(request.url ?? "", "http://x").searchParams.get("after") === "old") {
      response.statusCode = 410;
      response.end(JSON.stringify({ error: "after: events after this cursor have been removed", code: "cursor_expired" }));
      return;
    }
    setTimeout(() => response.end(JSON.stringify({ events: [], next_cursor: "c1" })), 600);
  });
  try {
    const registry = new Registry({ baseUrl: stub.url, projectId: randomUUID(), timeoutMs: 200 });
    await assert.rejects(registry.events({ after: "old", follow: true }).next(), (error: unknown) => {
      assert.ok(error instanceof CursorExpired && error instanceof RegistryError);
      assert.equal(error.status, 410);
      assert.equal(error.code, "cursor_expired");
      return true;
    });
    assert.equal(urls[0], "/api/v1/model-registry/events?after=old&wait=25");
    const page = await registry.listEvents({ after: "c1", wait: 1 });
    assert.equal(page.next_cursor, "c1");
    await assert.rejects(registry.listEvents({ after: "c1" }), /no answer within 200 ms/);
  } finally {
    stub.server.closeAllConnections();
    stub.server.close();
  }
});
