// Checking what a webhook receives: `verifyWebhook`.
//
// The service signs each delivery as Standard Webhooks do: `webhook-id` (the
// event's id), `webhook-timestamp` (Unix seconds) and `webhook-signature`
// (`v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, keyed with
// the bytes the secret encodes in base64 after `whsec_`; several
// space-separated signatures may be sent).

import { createHmac, timingSafeEqual } from "node:crypto";

import type { Event } from "./registry.js";

/**
 * What a webhook's ping delivers (`pingWebhook`): an event of type
 * `webhook.ping`, of no model, whose `data` names the webhook. It is not in
 * the change feed.
 */
export interface PingEvent {
  id: string;
  type: "webhook.ping";
  project_id: string;
  model_id: null;
  version_id: null;
  occurred_at: string;
  request_id: string;
  data: { webhook_id: string };
  changes: null;
}

/** What a webhook receives: an `Event` of the change feed, or a `PingEvent`; `type` tells them apart. */
export type WebhookEvent = Event | PingEvent;

/**
 * What a receiver got is not a delivery of its webhook, as sent: a header is
 * missing, no signature matches (another secret, or a changed body), the
 * timestamp is too far from now (a replay), or the secret itself is
 * malformed. Answer such a request with a 4xx and ignore it.
 */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

/** The options of `verifyWebhook`. */
export interface VerifyWebhookOptions {
  /** Seconds `webhook-timestamp` may be from now, either way (default 300). */
  toleranceSeconds?: number | undefined;
}

/** Headers as a receiver holds them: a `Headers` (fetch, undici), or a plain object (node:http's `request.headers`). */
export type WebhookHeaders = Headers | Record<string, string | readonly string[] | undefined>;

const SECRET_PREFIX = "whsec_";
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function header(headers: WebhookHeaders, name: string): string {
  let value: string | null | undefined;
  if (typeof Headers !== "undefined" && headers instanceof Headers) {
    value = headers.get(name);
  } else {
    for (const [key, each] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
      if (key.toLowerCase() !== name) continue;
      value = typeof each === "string" ? each : each?.[0];
      if (value !== undefined) break;
    }
  }
  const text = value?.trim();
  if (!text) throw new WebhookVerificationError(`the ${name} header is missing: not a delivery of a webhook`);
  return text;
}

function keyOf(secret: string): Buffer {
  const encoded = typeof secret === "string" && secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : null;
  if (encoded === null || encoded === "" || !BASE64.test(encoded)) {
    throw new WebhookVerificationError("the secret must be the one createWebhook answered: whsec_ followed by base64");
  }
  return Buffer.from(encoded, "base64");
}

/**
 * Checks that a request a receiver got is a delivery of the webhook whose
 * `secret` is given (`whsec_...`, as `createWebhook` answered it), and
 * answers its event.
 *
 * `body` is the request's body exactly as received (parsing and
 * re-serialising the JSON first would change it, and fail); `headers` the
 * request's headers, names in any case. Throws `WebhookVerificationError`
 * when a header is missing, the secret is malformed, no `v1` signature of
 * `webhook-signature` matches (compared in constant time), or
 * `webhook-timestamp` is more than `toleranceSeconds` (300) from now. A
 * delivery may come more than once (at least once): the event's `id`, the
 * `webhook-id` header, tells repeats apart.
 *
 * ```ts
 * import { createServer } from "node:http";
 * createServer((request, response) => {
 *   const chunks: Buffer[] = [];
 *   request.on("data", (chunk: Buffer) => chunks.push(chunk));
 *   request.on("end", () => {
 *     try {
 *       const event = verifyWebhook(Buffer.concat(chunks), request.headers, secret);
 *       if (event.type === "version.updated") console.log(event.version_id, event.changes);
 *       response.writeHead(204).end();
 *     } catch (error) {
 *       response.writeHead(error instanceof WebhookVerificationError ? 400 : 500).end();
 *     }
 *   });
 * }).listen(9000);
 * ```
 */
export function verifyWebhook(
  body: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyWebhookOptions = {},
): WebhookEvent {
  const tolerance = options.toleranceSeconds ?? 300;
  if (typeof tolerance !== "number" || !(tolerance >= 0)) {
    throw new RangeError(`toleranceSeconds must be 0 or more, got ${tolerance}`);
  }
  const id = header(headers, "webhook-id");
  const timestampText = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  const key = keyOf(secret);
  if (!/^\d+$/.test(timestampText)) {
    throw new WebhookVerificationError("the webhook-timestamp header is not a number of Unix seconds");
  }
  const timestamp = Number(timestampText);
  const payload = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body.buffer, body.byteOffset, body.byteLength);

  const expected = Buffer.from(
    createHmac("sha256", key).update(`${id}.${timestampText}.`).update(payload).digest("base64"),
    "utf8",
  );
  let matched = false;
  for (const entry of signatures.split(/\s+/)) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    const given = Buffer.from(entry.slice(comma + 1), "utf8");
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) {
    throw new WebhookVerificationError(
      "no signature of webhook-signature matches: another webhook's secret, or a body that is not the one signed",
    );
  }

  const now = Date.now() / 1000;
  if (timestamp < now - tolerance) {
    throw new WebhookVerificationError(
      `webhook-timestamp is ${Math.round(now - timestamp)} s old, more than the tolerance of ${tolerance} s`,
    );
  }
  if (timestamp > now + tolerance) {
    throw new WebhookVerificationError(
      `webhook-timestamp is ${Math.round(timestamp - now)} s ahead, more than the tolerance of ${tolerance} s`,
    );
  }

  let event: unknown;
  try {
    event = JSON.parse(payload.toString("utf8"));
  } catch (error) {
    throw new WebhookVerificationError(`the signed body is not an event of the registry (${String(error)})`);
  }
  const fields = event as Record<string, unknown> | null;
  if (
    typeof fields !== "object" || fields === null || Array.isArray(fields) ||
    typeof fields["id"] !== "string" || typeof fields["type"] !== "string" ||
    typeof fields["project_id"] !== "string" || typeof fields["occurred_at"] !== "string"
  ) {
    throw new WebhookVerificationError("the signed body is not an event of the registry");
  }
  return event as WebhookEvent;
}
