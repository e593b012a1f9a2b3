// Shared pieces of the browser tests: the real `mtlskit web` server on 127.0.0.1 (a free
// port), Debian's Chromium driven by playwright-core, files dropped on the page body as a
// person would, and a screenshot of each state in target/web-e2e/.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const shots = join(root, 'target', 'web-e2e');
const binary = process.env.MTLSKIT_BIN ?? join(root, 'target', 'release', 'mtlskit');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Starts `mtlskit web --listen 127.0.0.1:0`; resolves with {url, stop}. With MTLSKIT_WEB_URL set
 * (a page being worked on, served from web-demo/ by any static server on 127.0.0.1), uses that
 * instead, so a page change is tried without rebuilding the binary that embeds the page. */
export function startServer() {
  if (process.env.MTLSKIT_WEB_URL) return Promise.resolve({ url: process.env.MTLSKIT_WEB_URL, stop: () => {} });
  const child = spawn(binary, ['web', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error('mtlskit web did not start in 10 s')); }, 10_000);
    let output = '';
    const collect = (chunk) => {
      output += chunk;
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(output)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ url, stop: () => child.kill() });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`mtlskit web exited (${code}): ${output}`)); });
  });
}

export async function launch() {
  mkdirSync(shots, { recursive: true });
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** A fresh page on `url`, with the inspector ready; records every request it makes. */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.requests = [];
  page.errors = [];
  page.on('request', (request) => page.requests.push(request.url()));
  page.on('pageerror', (error) => page.errors.push(error.message));
  await page.goto(url);
  await page.waitForFunction(() => document.body?.dataset.state === 'ready');
  return page;
}

/** Drops files [[name, Buffer]] on the page body; `beforeDrop` runs in the page just before. */
export async function drop(page, files, beforeDrop = () => {}) {
  const transfer = await page.evaluateHandle((list) => {
    const data = new DataTransfer();
    for (const [name, bytes] of list) data.items.add(new File([new Uint8Array(bytes)], name));
    return data;
  }, files.map(([name, bytes]) => [name, [...bytes]]));
  await page.evaluate(beforeDrop);
  await page.evaluate(() => { document.body.dataset.state = 'busy'; });
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
}

/** Waits for the page to finish the current intake (inspection, verification, every card
 * drawn). Polled in the page's own world on each frame, reading one attribute: Playwright's
 * selector waits (`waitForSelector`) run in its isolated world and, on this Chromium, left
 * that world's wrappers of the page's elements behind on every poll; with thousands of cards
 * being drawn, the page's young-generation GCs then spent 50-80 ms on those weak handles,
 * long tasks the page itself does not cause (BENCHMARKS.md, "2,880-certificate bundle"). */
export async function settled(page) {
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 120_000 });
}

export async function clear(page) {
  await page.click('#clear');
  await page.waitForFunction(() => document.querySelectorAll('.card').length === 0);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** The titles of the cards shown, in order. */
export function cardTitles(page) {
  return page.$$eval('#cards .card h3', (titles) => titles.map((title) => title.textContent));
}
