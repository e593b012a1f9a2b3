// Browser end-to-end tests of the inspector (issue 10, scenario S7): the real `mtlskit web`
// server, Debian's Chromium, files made by the real openssl with the commands of field note
// 002. Each state is saved as a screenshot in target/web-e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, openPage, drop, settled, clear, screenshot, cardTitles } from './harness.mjs';

let dir;
let server;
let browser;
let page;
const file = (name) => [name, readFileSync(join(dir, name))];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtlskit-web-'));
  // Field note 002, "root.crt → intermediate1.crt → intermediate2.crt → server.crt", verbatim,
  // plus the note's `openssl pkcs12 -export` (password 123456) for the server certificate.
  const script = `
    openssl genrsa -out root.key 4096
    openssl req -new -x509 -days 3650 -key root.key -out root.crt -subj "/CN=Root CA"
    openssl genrsa -out intermediate1.key 4096
    openssl req -new -key intermediate1.key -out intermediate1.csr -subj "/CN=Intermediate CA 1"
    openssl x509 -req -in intermediate1.csr -CA root.crt -CAkey root.key -CAcreateserial -out intermediate1.crt -days 3650
    openssl genrsa -out intermediate2.key 4096
    openssl req -new -key intermediate2.key -out intermediate2.csr -subj "/CN=Intermediate CA 2"
    openssl x509 -req -in intermediate2.csr -CA intermediate1.crt -CAkey intermediate1.key -CAcreateserial -out intermediate2.crt -days 3650
    openssl genrsa -out server.key 4096
    openssl req -new -key server.key -out server.csr -subj "/CN=server.example.com"
    openssl x509 -req -in server.csr -CA intermediate2.crt -CAkey intermediate2.key -CAcreateserial -out server.crt -days 365
    openssl pkcs12 -export -clcerts -in server.crt -inkey server.key -passout pass:123456 -out server.p12
  `;
  execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, stdio: 'pipe' });
  writeFileSync(join(dir, 'random.bin'), randomBytes(3000));
  server = await startServer();
  browser = await launch();
  page = await openPage(browser, server.url);
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the field note 002 chain: four cards with the right subjects', async () => {
  await drop(page, ['server.crt', 'intermediate2.crt', 'intermediate1.crt', 'root.crt'].map(file));
  await settled(page);
  assert.deepEqual(await cardTitles(page), ['server.example.com', 'Intermediate CA 2', 'Intermediate CA 1', 'Root CA']);
  const issuers = await page.$$eval('#cards .card dl.facts', (lists) => lists.map((list) => list.children[1].textContent));
  assert.deepEqual(issuers, ['IssuerCN=Intermediate CA 2', 'IssuerCN=Intermediate CA 1', 'IssuerCN=Root CA', 'IssuerCN=Root CA (self-signed)']);
  await screenshot(page, '1-chain');
});

test('a .p12: a password prompt in the page, then its contents', async () => {
  await clear(page);
  await drop(page, [file('server.p12')]);
  const dialog = page.locator('#password-dialog');
  await dialog.waitFor({ state: 'visible' });
  await screenshot(page, '3a-p12-password-prompt');
  await page.fill('#password', 'wrong');
  await page.click('#password-ok');
  await page.waitForFunction(() => document.getElementById('password-error').textContent.includes('does not open'));
  await page.fill('#password', '123456');
  await page.click('#password-ok');
  await settled(page);
  const kinds = await page.$$eval('#cards .card', (cards) => cards.map((card) => card.className));
  assert.ok(kinds.some((kind) => kind.includes('certificate')), kinds.join());
  assert.ok(kinds.some((kind) => kind.includes('private_key')), kinds.join());
  assert.ok((await cardTitles(page)).includes('server.example.com'));
  assert.match(await page.locator('#cards .card.private_key').textContent(), /never shown/);
  await screenshot(page, '3b-p12-contents');
});

test('a random binary: a readable error, and the page still works', async () => {
  await clear(page);
  await drop(page, [file('random.bin')]);
  await settled(page);
  const error = page.locator('#errors .card.error');
  assert.equal(await error.count(), 1);
  const text = await error.textContent();
  assert.match(text, /random\.bin/);
  assert.match(text, /Expected a certificate/);
  assert.match(text, /UnrecognizedInput/);
  await drop(page, [file('root.crt')]);
  await settled(page);
  assert.deepEqual(await cardTitles(page), ['Root CA']);
  await screenshot(page, '4-random-binary');
  assert.deepEqual(page.errors, []);
});

test('a pasted PEM', async () => {
  await clear(page);
  await page.fill('#paste', `some text before\n${readFileSync(join(dir, 'intermediate1.crt'), 'utf8')}`);
  await page.evaluate(() => { document.body.dataset.state = 'busy'; });
  await page.click('#paste-go');
  await settled(page);
  assert.deepEqual(await cardTitles(page), ['Intermediate CA 1']);
  assert.match(await page.locator('#cards .card .source').textContent(), /pasted text/);
  await screenshot(page, '5-pasted-pem');
});

test('the ASN.1 tree names the RFC 5280 fields and shows the hex of a node', async () => {
  await page.click('#cards .card .asn1 summary');
  await page.waitForSelector('.asn1-tree');
  const fields = await page.$$eval('.asn1-tree .field', (nodes) => nodes.map((node) => node.textContent));
  for (const field of ['Certificate', 'tbsCertificate', 'serialNumber', 'issuer', 'validity', 'notAfter', 'subjectPublicKeyInfo', 'signatureValue']) {
    assert.ok(fields.includes(field), `missing ${field}`);
  }
  await page.locator('.asn1-tree .node', { hasText: 'serialNumber' }).first().click();
  assert.match(await page.locator('.hex-actions').textContent(), /serialNumber: 2 header/);
  await screenshot(page, '6-asn1-tree');
});

test('compare two certificates', async () => {
  await clear(page);
  await drop(page, ['server.crt', 'intermediate2.crt'].map(file));
  await settled(page);
  await page.locator('#cards .card').nth(0).locator('button', { hasText: 'Compare' }).click();
  await page.locator('#cards .card').nth(1).locator('button', { hasText: 'Compare' }).click();
  const table = page.locator('#compare-table');
  await table.locator('table').waitFor();
  assert.match(await table.locator('.compare-summary').textContent(), /\d+ fields differ/);
  const subject = table.locator('tr', { hasText: 'Subject' }).first();
  assert.match(await subject.getAttribute('class'), /differs/);
  assert.match(await subject.textContent(), /server\.example\.com.*Intermediate CA 2/s);
  await screenshot(page, '7-compare');
});

test('nothing leaves the page: every request is to the page itself, none with a query', async () => {
  const origin = new URL(server.url).origin;
  const foreign = page.requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(page.requests.filter((url) => url.includes('?')), []);
  assert.deepEqual(page.errors, []);
});
