// How every browser test starts Chromium: Debian's (or MILLICENT_CHROMIUM), driven by
// playwright-core, headless, in a fresh profile that is deleted again when the test closes it, and
// where its screenshots go.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.MILLICENT_CHROMIUM ?? '/usr/bin/chromium';

/** Where the browser tests write their screenshots. */
export const RESULTS = new URL('../test-results/', import.meta.url).pathname;

/** The flags every browser test starts Chromium with. */
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** Fails at once, saying how to install it, when there is no Chromium (call before starting servers). */
export function assertChromium() {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
}

/**
 * Starts headless Chromium in a fresh profile (--user-data-dir, which Playwright passes for a
 * persistent context; some flags, such as --ignore-certificate-errors-spki-list, need one) and
 * makes sure RESULTS exists. `close()` stops the browser and deletes the profile.
 * @param {{ width: number, height: number }} viewport
 * @param {string[]} [args] flags beyond the ones every test uses
 */
export async function launchChromium(viewport, args = []) {
  assertChromium();
  const profile = await mkdtemp(join(tmpdir(), 'millicent-chromium-'));
  /** @type {import('playwright-core').BrowserContext} */
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport,
      headless: true,
      args: [...FLAGS, ...args],
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  await mkdir(RESULTS, { recursive: true });
  return {
    context,
    async close() {
      try {
        await context.close();
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    },
  };
}
