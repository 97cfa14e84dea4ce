/**
 * A generated report in a real browser (Playwright driving Debian's chromium, issue 6): the
 * timeline and the anomaly list render. Skipped only when chromium is absent outside CI; in CI
 * (`CI` set) a missing browser fails the test, since .ci/run installs it.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { renderRunReport } from "../../src/lab/report/run_report.js";
import { lostAppendRun } from "./support.js";

const chromiumPath = "/usr/bin/chromium";
const absent = !existsSync(chromiumPath);
const skip =
  absent && process.env.CI === undefined
    ? `${chromiumPath} is absent (apt-get install -y chromium); CI installs it and runs this test`
    : false;

test("a report opened from a file:// URL shows its timeline and anomaly list", {
  skip,
  timeout: 60_000,
}, async () => {
  const directory = mkdtempSync(join(tmpdir(), "onelog-report-browser-"));
  // A fresh profile per run; Playwright takes it as the persistent context's directory.
  const browser = await chromium.launchPersistentContext(join(directory, "profile"), {
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const file = join(directory, "index.html");
    writeFileSync(file, renderRunReport(lostAppendRun()));
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    const timeline = page.locator("svg.timeline");
    assert.equal(await timeline.count(), 1);
    const box = await timeline.boundingBox();
    assert.ok(
      box !== null && box.width > 500 && box.height > 20,
      `timeline box ${JSON.stringify(box)}`,
    );
    assert.equal(await page.locator("svg.timeline text.timeline-row").count(), 4);
    assert.ok((await page.locator("svg.timeline rect.op").count()) >= 4);
    const anomalies = page.locator("ol.anomalies > li.anomaly");
    assert.equal(await anomalies.count(), 2);
    assert.ok(await anomalies.first().isVisible());
    const text = (await page.locator("ol.anomalies").textContent()) ?? "";
    assert.match(text, /lost-write/);
    assert.match(text, /dirty-read/);
  } finally {
    await browser.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
