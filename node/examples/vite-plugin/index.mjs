// A Vite plugin that serves the dev server (and `vite preview`) over HTTPS with certificates
// from mtlskit: a local CA and a server certificate for `hosts`, created once, kept in
// `cacheDir` (keys 0600), and renewed when they come within `renewDays` of expiry or the hosts
// change. The CA is kept as long as it is valid, so a browser that trusts `cacheDir/ca.crt`
// keeps trusting the renewed server certificates.
//
//   // vite.config.js
//   import mtlskit from './vite-plugin/index.mjs';
//   export default { plugins: [mtlskit({ hosts: ['localhost', 'app.test'] })] };
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificate, inspectSync } from 'mtlskit';

const DAY = 86_400;

export default function mtlskitHttps(options = {}) {
  return {
    name: 'mtlskit-https',
    async config() {
      const https = await certificates(options);
      return { server: { https }, preview: { https } };
    },
  };
}

/** `{key, cert, ca}` for `https.createServer`, from the cache or freshly made. */
export async function certificates({
  hosts = ['localhost', '127.0.0.1', '::1'],
  cacheDir = join('node_modules', '.cache', 'mtlskit'),
  renewDays = 30,
  now = new Date(),
} = {}) {
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const path = (name) => join(cacheDir, name);
  const seconds = Math.floor(now.getTime() / 1000);
  const usable = (pem) => pem && validUntil(pem) - seconds > renewDays * DAY;

  let ca = { certificate: read(path('ca.crt')), key: read(path('ca.key')) };
  if (!usable(ca.certificate) || !ca.key) {
    const root = await createCertificate({ profile: 'root', subject: { common_name: 'mtlskit dev CA' } }, now);
    ca = { certificate: root.certificate, key: root.key };
    save(path('ca.crt'), ca.certificate);
    save(path('ca.key'), ca.key, 0o600);
    save(path('server.crt'), '');
  }
  let cert = read(path('server.crt'));
  let key = read(path('server.key'));
  if (!usable(cert) || !key || read(path('hosts.json')) !== JSON.stringify(hosts)) {
    const server = await createCertificate({ profile: 'server', subject_alt_names: hosts, ca }, now);
    [cert, key] = [server.certificate, server.key];
    save(path('server.key'), key, 0o600);
    save(path('server.crt'), cert);
    save(path('hosts.json'), JSON.stringify(hosts));
  }
  return { key, cert, ca: ca.certificate };
}

/** notAfter of a PEM certificate, in seconds since the epoch. */
function validUntil(pem) {
  const [item] = inspectSync(pem).items;
  return item?.kind === 'certificate' ? item.not_after_unix : 0;
}

function read(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function save(file, contents, mode = 0o644) {
  writeFileSync(file, contents, { mode });
  chmodSync(file, mode);
}
