// Issue 10, "works offline once loaded": after one online visit, the page reloads, inspects
// and creates a test PKI with the network gone. Offline is real: the test's own `mtlskit web`
// is stopped (with MTLSKIT_WEB_URL, whose server the test does not own, the browser context
// is set offline instead; both are done when the test owns the server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, openPage, settled, screenshot, cardTitles } from './harness.mjs';

let dir;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtlskit-offline-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'offline.key', '-out', 'offline.crt', '-subj', '/CN=Offline Test', '-days', '30'], { cwd: dir, stdio: 'pipe' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Polls `check` in the page (an async function's result) until true; bounded. */
async function until(page, check, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(check))) {
    assert.ok(Date.now() < deadline, `within ${timeout} ms: ${what}`);
    await page.waitForTimeout(50);
  }
}

const controlled = () => navigator.serviceWorker.controller !== null;
const stored = (path) => caches.open('mtlskit-inspector')
  .then((cache) => cache.match(new URL(path, location.href)))
  .then(Boolean);

/** The page online with its service worker in control, then the network gone. */
async function visitThenGoOffline(server, { openPki }) {
  const page = await openPage(browser, server.url);
  await until(page, controlled, 'the service worker controls the page');
  await until(page, () => caches.open('mtlskit-inspector').then((cache) => cache.match('pkg/mtlskit_wasm_bg.wasm')).then(Boolean),
    'the page\'s files are stored');
  if (openPki) {
    await page.click('#pki-open');
    await until(page, `(${stored})('pkg/full/mtlskit_wasm_bg.wasm')`, 'the whole API is stored once the PKI dialog opened');
    await until(page, `(${stored})('pkg/full/mtlskit_wasm.js')`, 'its JavaScript too');
  }
  server.stop();
  await page.context().setOffline(true);
  if (!process.env.MTLSKIT_WEB_URL) {
    const refused = await page.evaluate((url) => fetch(url, { cache: 'no-store', mode: 'no-cors' }).then(() => false, () => true),
      `${server.url}no-such-file`);
    assert.ok(refused, 'the server is gone');
  }
  await page.reload();
  await page.waitForFunction(() => document.body?.dataset.state === 'ready');
  return page;
}

/** Pastes the test's certificate and checks that its card is drawn (no network needed). */
async function pasteAndInspect(page) {
  await page.fill('#paste', readFileSync(join(dir, 'offline.crt'), 'utf8'));
  await page.evaluate(() => { document.body.dataset.state = 'busy'; });
  await page.click('#paste-go');
  await settled(page);
  assert.deepEqual(await cardTitles(page), ['Offline Test']);
}

test('offline after one visit: the page reloads, inspects a pasted PEM and creates a test PKI', async () => {
  const page = await visitThenGoOffline(await startServer(), { openPki: true });
  await screenshot(page, '9a-offline-reloaded');
  await pasteAndInspect(page);

  await page.click('#pki-open');
  await page.fill('#pki-sans', 'offline.example');
  await page.click('#pki-form button[type="submit"]');
  await page.locator('#pki-result button', { hasText: /server.*\.crt$/ }).first().waitFor();
  await page.evaluate(() => { document.body.dataset.state = 'busy'; });
  await page.click('#pki-result button:text("Inspect the certificates")');
  await settled(page);
  const titles = await cardTitles(page);
  assert.ok(titles.some((title) => /offline\.example/.test(title)), `the new server certificate is inspected: ${titles}`);
  await screenshot(page, '9b-offline-test-pki');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('offline before the PKI dialog was ever opened: a plain explanation, the inspector still works', async () => {
  const page = await visitThenGoOffline(await startServer(), { openPki: false });
  await page.click('#pki-open');
  const message = page.locator('#pki-result [role="alert"]');
  await message.waitFor();
  assert.match(await message.textContent(), /has not stored yet and cannot download now \(no network\?\)\. Connect once/);
  await screenshot(page, '9c-offline-without-the-whole-api');
  await pasteAndInspect(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
