// node/examples/vite-plugin: certificates created once, served from the cache, renewed near
// expiry (the CA kept) and when the hosts change; the result works for an https server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mtlskitHttps, { certificates } from '../../node/examples/vite-plugin/index.mjs';

const cacheDir = join(mkdtempSync(join(tmpdir(), 'mtlskit-vite-')), 'cache');
after(() => rmSync(join(cacheDir, '..'), { recursive: true, force: true }));

test('the vite plugin caches its certificates and renews them near expiry or for new hosts', async () => {
  const now = new Date();
  const first = await certificates({ cacheDir, now });
  assert.equal(new X509Certificate(first.cert).subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  assert.ok(new X509Certificate(first.cert).verify(new X509Certificate(first.ca).publicKey));
  assert.equal(statSync(join(cacheDir, 'server.key')).mode & 0o777, 0o600);
  assert.equal(statSync(join(cacheDir, 'ca.key')).mode & 0o777, 0o600);

  const cached = await certificates({ cacheDir, now: new Date(now.getTime() + 300 * 86_400_000) });
  assert.deepEqual(cached, first, 'served from the cache while far from expiry');

  const renewed = await certificates({ cacheDir, now: new Date(now.getTime() + 380 * 86_400_000) });
  assert.notEqual(renewed.cert, first.cert, 'renewed within 30 days of expiry');
  assert.equal(renewed.ca, first.ca, 'the CA is kept');

  const moved = await certificates({ cacheDir, hosts: ['app.test'], now });
  assert.equal(new X509Certificate(moved.cert).subjectAltName, 'DNS:app.test');
  assert.equal(moved.ca, first.ca);

  const plugin = mtlskitHttps({ cacheDir, hosts: ['app.test'] });
  assert.equal(plugin.name, 'mtlskit-https');
  const config = await plugin.config();
  assert.deepEqual(config.server.https, moved);
  assert.deepEqual(config.preview.https, moved);
});
