// Opens Swagger UI (/docs) in headless Chromium, checks that it lists every
// operation of the served OpenAPI document, runs "Try it out" on one of them
// against the live service and reads the answer. Saves a screenshot under
// target/browser/.
//
//   MODEL_REGISTRY_URL=http://127.0.0.1:8080 node --test
//
// CHROMIUM (default /usr/bin/chromium) names the browser.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { chromium } from "playwright-core";

const baseUrl = process.env.MODEL_REGISTRY_URL ?? "http://127.0.0.1:8080";
const screenshots = join(dirname(fileURLToPath(import.meta.url)), "../../target/browser");

test("Swagger UI lists every operation and runs one against the service", async () => {
  const spec = await (await fetch(`${baseUrl}/openapi.json`)).json();
  const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
    ["get", "post", "patch", "delete", "put"].filter((m) => item[m]).map((m) => ({ method: m, path })),
  );
  assert.equal(operations.length, 36, "35 operations and /healthz");

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // The page logs no error (the browser's own request for /favicon.ico aside).
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) {
        errors.push(message.text());
      }
    });
    await page.goto(`${baseUrl}/docs`);
    await page.waitForSelector(".opblock-summary-path", { timeout: 20_000 });
    assert.equal(await page.title(), "Model Registry API", "the tab's title");

    const shown = await page.$$eval(".opblock", (blocks) =>
      blocks.map((block) => ({
        method: block.querySelector(".opblock-summary-method")?.textContent?.toLowerCase(),
        path: block.querySelector(".opblock-summary-path")?.getAttribute("data-path"),
      })),
    );
    for (const { method, path } of operations) {
      assert.ok(
        shown.some((s) => s.method === method && s.path === path),
        `${method.toUpperCase()} ${path} is on the page`,
      );
    }

    // Project-ID is entered once, under "Authorize": the page starts with
    // the README tour's project.
    const tourProject = "11111111-1111-1111-1111-111111111111";
    const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem("authorized") ?? "{}"));
    assert.equal((await stored()).ProjectId?.value, tourProject, "the tour's project to start with");

    // Another project, entered once, kept across a reload.
    const project = randomUUID();
    await page.getByRole("button", { name: /Authorize/ }).first().click();
    const dialog = page.locator(".dialog-ux");
    const scheme = dialog.locator(".auth-container", { hasText: "ProjectId" });
    // Swagger UI names its buttons for assistive technology: "Logout" is
    // "Remove authorization", "Authorize" is "Apply credentials".
    await scheme.getByRole("button", { name: "Remove authorization" }).click();
    await scheme.locator("input").fill(project);
    await scheme.getByRole("button", { name: "Apply credentials" }).click();
    await dialog.getByRole("button", { name: "Close" }).first().click();
    await page.reload();
    await page.waitForSelector(".opblock-summary-path", { timeout: 20_000 });
    assert.equal((await stored()).ProjectId?.value, project, "kept across a reload");
    // The padlock offers only what the page's document declares.
    await page.getByRole("button", { name: /Authorize/ }).first().click();
    const offered = await page.locator(".dialog-ux .auth-container h4").allTextContents();
    assert.deepEqual(
      offered.map((t) => t.replace(/\s*\(.*$/, "").trim()).sort(),
      ["ProjectId", "bearerToken"],
      "the schemes under Authorize",
    );
    await page.locator(".dialog-ux").getByRole("button", { name: "Close" }).first().click();

    // Try it out: list the models of that project, with nothing to type.
    const listModels = page.locator(".opblock-get", {
      has: page.locator('.opblock-summary-path[data-path="/api/v1/model-registry/models"]'),
    });
    await listModels.locator(".opblock-summary").click();
    assert.equal(
      await listModels.locator('tr[data-param-name="Project-ID"]').count(),
      0,
      "no Project-ID field per operation",
    );
    await listModels.getByRole("button", { name: "Try it out" }).click();
    await listModels.getByRole("button", { name: "Execute" }).click();
    const status = listModels.locator(".live-responses-table .response .response-col_status").first();
    await status.waitFor({ timeout: 20_000 });
    assert.equal((await status.textContent())?.trim(), "200");
    const curl = await listModels.locator(".curl-command").textContent();
    assert.ok(curl?.includes(`Project-ID: ${project}`), `the request carries the project: ${curl}`);
    const body = await listModels.locator(".live-responses-table .response-col_description pre").first().textContent();
    const listed = JSON.parse(body ?? "null");
    assert.deepEqual(listed.items, [], "a fresh project has no models");
    assert.equal(listed.total, 0);
    assert.equal(typeof listed.page_size, "number");

    assert.deepEqual(errors, [], "errors logged by the page");

    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, "docs.png"), fullPage: false });
  } finally {
    await browser.close();
  }
});
