// Webhooks in the SDK: `verifyWebhook` offline, on deliveries signed here
// with the Standard Webhooks algorithm written out with node:crypto (checked
// first against the specification's example); then, against the live
// service, every webhook method, with a receiver on 127.0.0.1 (the service
// must allow it: WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8):
//   MODEL_REGISTRY_URL=http://127.0.0.1:8080 npm test
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

import {
  InvalidArgument,
  NotFound,
  Registry,
  WebhookVerificationError,
  verifyWebhook,
  type Delivery,
  type WebhookEvent,
} from "../src/index.js";

const URL_ = process.env.MODEL_REGISTRY_URL ?? "http://127.0.0.1:8080";
const PROJECT = "8d3f6c1e-2b4a-4f7e-9c51-0a6b7d2e3f41";
const MODEL = "5f0b2c8e-1d3a-4e6f-9b7c-2a4d6e8f0a12";
const VERSION = "7c1d3e5f-2a4b-4c6d-8e0f-1a3b5c7d9e02";
const EVENT_ID = "XJ4a0bY2kq1wZQAAAAAAAAAAAAAAAAAAAAU";

/** The reference: `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), the key the base64 after `whsec_`. */
function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return "v1," + createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
}

function newSecret(): string {
  return "whsec_" + randomBytes(24).toString("base64");
}

function eventBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: EVENT_ID,
    type: "version.updated",
    project_id: PROJECT,
    model_id: MODEL,
    version_id: VERSION,
    occurred_at: "2026-02-10T04:02:51.123456Z",
    request_id: "4b6e0c9a-8f1d-4c2e-9a7b-3d5f1e2c4a6b",
    data: { id: VERSION, name: "v1.0", status: "READY" },
    changes: { status: { from: "PENDING", to: "READY" } },
    ...overrides,
  });
}

function delivery(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000), id = EVENT_ID) {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": sign(secret, id, timestamp, body),
  };
}

function refused(pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof WebhookVerificationError, String(error));
    assert.match(error.message, pattern);
    return true;
  };
}

// ------------------------------------------------------------------ offline

test("the reference signs as the Standard Webhooks example, which verifyWebhook accepts", () => {
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const body = '{"test": 2432232314}';
  const signature = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
  assert.equal(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  // From 2021, and no event of the registry: with a tolerance that covers it,
  // only the body is refused, so the signature and the timestamp passed.
  const headers = {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": signature,
  };
  assert.throws(() => verifyWebhook(body, headers, secret, { toleranceSeconds: Date.now() / 1000 }), refused(/not an event/));
});

test("a signed delivery answers its event, from text, bytes, any header case or a Headers", () => {
  const secret = newSecret();
  const body = eventBody();
  const headers = delivery(secret, body);
  const event = verifyWebhook(body, headers, secret);
  assert.equal(event.type, "version.updated");
  assert.deepEqual([event.id, event.project_id, event.model_id, event.version_id], [EVENT_ID, PROJECT, MODEL, VERSION]);
  assert.deepEqual(event.changes, { status: { from: "PENDING", to: "READY" } });
  assert.deepEqual(verifyWebhook(new TextEncoder().encode(body), headers, secret), event);
  assert.deepEqual(verifyWebhook(Buffer.from(body), headers, secret), event);
  const shouted = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]));
  assert.deepEqual(verifyWebhook(body, shouted, secret), event);
  assert.deepEqual(verifyWebhook(body, new Headers(headers), secret), event);
  // node:http's request.headers: lowercase, values possibly arrays.
  const incoming: IncomingHttpHeaders = { ...headers, "content-type": "application/json", "x-many": ["a", "b"] };
  assert.deepEqual(verifyWebhook(body, incoming, secret), event);
});

test("one matching v1 signature among several is enough; another version's is not", () => {
  const secret = newSecret();
  const body = eventBody();
  const headers = delivery(secret, body);
  const good = headers["webhook-signature"];
  const other = sign(newSecret(), EVENT_ID, Number(headers["webhook-timestamp"]), body);
  for (const value of [`${other} ${good}`, `${good} ${other}`, `v1,bm90IGEgc2lnbmF0dXJl ${good}`]) {
    assert.equal(verifyWebhook(body, { ...headers, "webhook-signature": value }, secret).id, EVENT_ID);
  }
  assert.throws(() => verifyWebhook(body, { ...headers, "webhook-signature": good.replace("v1,", "v2,") }, secret), refused(/no signature/));
  assert.throws(() => verifyWebhook(body, { ...headers, "webhook-signature": good.slice(3) }, secret), refused(/no signature/));
});

test("another secret, a changed body, a changed id or timestamp are refused", () => {
  const secret = newSecret();
  const body = eventBody();
  const headers = delivery(secret, body);
  assert.throws(() => verifyWebhook(body, headers, newSecret()), refused(/no signature/));
  for (const changed of [body.replace("READY", "READX"), eventBody({ version_id: randomUUID() }), JSON.stringify(JSON.parse(body), null, 1)]) {
    assert.throws(() => verifyWebhook(changed, headers, secret), refused(/no signature/));
  }
  assert.throws(() => verifyWebhook(body, { ...headers, "webhook-id": "another" }, secret), refused(/no signature/));
  const later = String(Number(headers["webhook-timestamp"]) + 10);
  assert.throws(() => verifyWebhook(body, { ...headers, "webhook-timestamp": later }, secret), refused(/no signature/));
});

test("a timestamp out of tolerance is refused, either way", () => {
  const secret = newSecret();
  const body = eventBody();
  const now = Math.floor(Date.now() / 1000);
  assert.throws(() => verifyWebhook(body, delivery(secret, body, now - 301), secret), refused(/old/));
  assert.throws(() => verifyWebhook(body, delivery(secret, body, now + 301), secret), refused(/ahead/));
  assert.equal(verifyWebhook(body, delivery(secret, body, now - 200), secret).id, EVENT_ID);
  assert.equal(verifyWebhook(body, delivery(secret, body, now + 200), secret).id, EVENT_ID);
  assert.throws(() => verifyWebhook(body, delivery(secret, body, now - 60), secret, { toleranceSeconds: 30 }), refused(/old/));
  assert.equal(verifyWebhook(body, delivery(secret, body, now - 3000), secret, { toleranceSeconds: 3600 }).id, EVENT_ID);
  assert.throws(() => verifyWebhook(body, delivery(secret, body), secret, { toleranceSeconds: -1 }), RangeError);
  assert.throws(
    () => verifyWebhook(body, { ...delivery(secret, body), "webhook-timestamp": "yesterday" }, secret),
    refused(/webhook-timestamp/),
  );
});

test("a missing header is named; a malformed secret is refused", () => {
  const secret = newSecret();
  const body = eventBody();
  const headers: Record<string, string> = delivery(secret, body);
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const without = Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
    assert.throws(() => verifyWebhook(body, without, secret), refused(new RegExp(name)));
    assert.throws(() => verifyWebhook(body, { ...headers, [name]: "" }, secret), refused(new RegExp(name)));
  }
  for (const bad of [secret.slice("whsec_".length), "whsec_not base64!", "whsec_", "whsec_abc"]) {
    assert.throws(() => verifyWebhook(body, headers, bad), refused(/secret/));
  }
});

test("a ping has no model; a signed body that is no event is refused", () => {
  const secret = newSecret();
  const webhookId = randomUUID();
  const id = "ping_0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  const body = eventBody({ id, type: "webhook.ping", model_id: null, version_id: null, data: { webhook_id: webhookId }, changes: null });
  const event: WebhookEvent = verifyWebhook(body, delivery(secret, body, undefined, id), secret);
  assert.equal(event.type, "webhook.ping");
  assert.equal(event.data.webhook_id, webhookId);
  assert.equal(event.model_id, null);
  for (const notAnEvent of ["[1, 2]", "not json", '{"id": "x"}']) {
    assert.throws(() => verifyWebhook(notAnEvent, delivery(secret, notAnEvent), secret), refused(/not an event/));
  }
});

// --------------------------------------------------------------------- live

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A receiver on 127.0.0.1 that keeps what it gets and answers `status`. */
async function receiver() {
  const received: Received[] = [];
  const waiting: Array<() => void> = [];
  const state = { status: 204 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      response.writeHead(state.status).end();
      received.push({ url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks) });
      for (const wake of waiting.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  async function wait(count: number, timeoutMs = 30_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (received.length < count) {
      if (Date.now() > deadline) throw new Error(`the receiver got ${received.length} requests, not ${count}`);
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return received.slice(0, count);
  }
  return { url, state, wait, close: () => server.close() };
}

async function settled(registry: Registry, webhookId: string, deliveryId: string): Promise<Delivery> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for await (const delivery of registry.iterDeliveries(webhookId)) {
      if (delivery.id === deliveryId && delivery.status !== "pending") return delivery;
    }
    if (Date.now() > deadline) throw new Error(`delivery ${deliveryId} still pending`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test("a webhook is created, read, changed, pinged, redelivered, sent a change, deleted", async () => {
  const registry = new Registry({ baseUrl: URL_, projectId: randomUUID() });
  const hook = await receiver();
  try {
    const created = await registry.createWebhook({ url: hook.url, event_types: ["version.created"], description: "deploy" });
    assert.ok(created.secret.startsWith("whsec_"));
    assert.deepEqual([created.url, created.event_types, created.description, created.enabled], [hook.url, ["version.created"], "deploy", true]);
    const { secret, etag, ...shown } = created;
    assert.deepEqual(await registry.listWebhooks(), [shown], "no secret in a list");
    const got = await registry.getWebhook(created.id);
    assert.deepEqual(got, { ...shown, etag }, "nor in a get, whose ETag is the create's");
    assert.ok(!("secret" in got));

    assert.equal((await registry.updateWebhook(created.id, { enabled: false, description: "" })).enabled, false);
    const enabled = await registry.updateWebhook(created.id, { enabled: true });
    assert.deepEqual([enabled.enabled, enabled.description], [true, ""]);

    const ping = await registry.pingWebhook(created.id);
    assert.deepEqual([ping.event_type, ping.status], ["webhook.ping", "pending"]);
    const [first] = (await hook.wait(1)) as [Received];
    assert.equal(first.url, "/hooks");
    assert.equal(first.headers["webhook-id"], ping.event_id);
    const event = verifyWebhook(first.body, first.headers, secret);
    assert.equal(event.type, "webhook.ping");
    assert.deepEqual([event.id, event.project_id, event.model_id, event.data], [ping.event_id, registry.projectId, null, { webhook_id: created.id }]);

    const done = await settled(registry, created.id, ping.id);
    assert.deepEqual([done.status, done.attempts, done.response_status, done.error, done.next_attempt_at], ["succeeded", 1, 204, null, null]);

    const again = await registry.redeliver(created.id, ping.id);
    assert.notEqual(again.id, ping.id);
    assert.equal(again.event_id, ping.event_id);
    const second = (await hook.wait(2))[1] as Received;
    assert.equal(second.headers["webhook-id"], first.headers["webhook-id"], "the same webhook-id");
    assert.deepEqual(second.body, first.body);
    assert.equal(verifyWebhook(second.body, second.headers, secret).id, event.id);

    const model = await registry.createModel({ name: "hooked", region_id: randomUUID() });
    const version = await registry.createVersion(model.id, { name: "v1", uri: "s3://m/v", model_framework: "pytorch", model_framework_version: "2.3" });
    const third = (await hook.wait(3))[2] as Received;
    const change = verifyWebhook(third.body, third.headers, secret);
    assert.equal(change.type, "version.created", "model.created is not among its types");
    assert.deepEqual([change.model_id, change.version_id], [model.id, version.id]);

    const page = await registry.listDeliveries(created.id, { limit: 2 });
    assert.equal(page.deliveries.length, 2);
    assert.ok(page.next_page_token);
    const rest = await registry.listDeliveries(created.id, { limit: 2, page_token: page.next_page_token });
    assert.equal(rest.next_page_token, null);
    const all: string[] = [];
    for await (const each of registry.iterDeliveries(created.id, { pageSize: 1 })) all.push(each.id);
    assert.deepEqual(all, [...page, ...rest].map((each) => each.id), "newest first, every page");
    assert.ok(all.includes(ping.id) && all.includes(again.id));

    await registry.deleteWebhook(created.id);
    await assert.rejects(registry.getWebhook(created.id), NotFound);
    assert.deepEqual(await registry.listWebhooks(), []);
  } finally {
    hook.close();
  }
});

test("bad webhooks are refused; other projects' and unknown ones are not found", async () => {
  const registry = new Registry({ baseUrl: URL_, projectId: randomUUID() });
  const hook = await receiver();
  try {
    for (const url of ["ftp://127.0.0.1/hooks", "http://user:secret@127.0.0.1/hooks", "http://10.1.2.3/hooks", "http://169.254.169.254/"]) {
      await assert.rejects(registry.createWebhook({ url }), (error: unknown) => {
        assert.ok(error instanceof InvalidArgument, url);
        assert.match(error.message, /url/);
        return true;
      });
    }
    await assert.rejects(
      // @ts-expect-error not an event type
      registry.createWebhook({ url: hook.url, event_types: ["model.exploded"] }),
      (error: unknown) => error instanceof InvalidArgument && /model\.created/.test(error.message),
    );
    assert.deepEqual(await registry.listWebhooks(), []);

    const webhook = await registry.createWebhook({ url: hook.url });
    assert.equal(webhook.event_types.length, 8, "all eight types");
    await assert.rejects(registry.updateWebhook(webhook.id, { url: "http://192.168.0.1/" }), InvalidArgument);
    const stranger = new Registry({ baseUrl: URL_, projectId: randomUUID() });
    await assert.rejects(stranger.getWebhook(webhook.id), NotFound);
    await assert.rejects(stranger.pingWebhook(webhook.id), NotFound);
    await assert.rejects(stranger.listDeliveries(webhook.id), NotFound);
    await assert.rejects(stranger.deleteWebhook(webhook.id), NotFound);
    assert.deepEqual(await stranger.listWebhooks(), []);
    await assert.rejects(registry.redeliver(webhook.id, randomUUID()), NotFound);
    await assert.rejects(registry.getWebhook("nope"), /webhookId must be a UUID/);
    await assert.rejects(registry.listDeliveries(webhook.id, { limit: 101 }), InvalidArgument);
    await registry.deleteWebhook(webhook.id);
  } finally {
    hook.close();
  }
});
