// Headless Chromium for the tests that look at a page as a person would: Debian's chromium (which
// .ci/run installs; CHROMIUM_PATH overrides) loads one file:// page with every other request refused
// and recorded, and the page's console errors and uncaught exceptions recorded too. A missing Chromium
// is a failure, not a skip: CI installs it.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface OpenedPage {
  browser: Browser;
  page: Page;
  /** URLs the page asked for that were not file:// (refused). */
  foreign: string[];
  /** console.error messages and uncaught page exceptions. */
  errors: string[];
  close(): Promise<void>;
}

export async function openFile(file: string, viewport = { width: 1400, height: 1000 }): Promise<OpenedPage> {
  assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH`);
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const foreign: string[] = [];
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    await page.setViewport(viewport);
    await page.setRequestInterception(true);
    page.on("request", (req) => {
      if (req.url().startsWith("file://")) return void req.continue();
      foreign.push(req.url());
      void req.abort();
    });
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    return { browser, page, foreign, errors, close: () => browser.close() };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
