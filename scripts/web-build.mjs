// `make web`'s last step (after the two modules are in web-demo/pkg/): bundles the page's two
// scripts with esbuild, so each is one request (BENCHMARKS.md "Browser inspector": every request
// in a row before the worker can answer cost first load time), and checks the inline script's
// hash in the page's Content-Security-Policy.
// - web-demo/src/main.js and the modules it imports -> web-demo/pkg/main.js;
// - web-demo/src/worker.js with the inspector module's JavaScript -> web-demo/pkg/worker.js
//   (the whole API's module, pkg/full/, stays a separate file, imported when first needed).
// Not minified: the page stays readable in the browser's developer tools, and gzip takes most
// of what minifying would.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const site = join(dirname(fileURLToPath(import.meta.url)), '..', 'web-demo');
const common = { bundle: true, format: 'esm', target: 'es2022', charset: 'utf8', logLevel: 'warning' };
await build({ ...common, entryPoints: [join(site, 'src', 'main.js')], outfile: join(site, 'pkg', 'main.js') });
await build({ ...common, entryPoints: [join(site, 'src', 'worker.js')], outfile: join(site, 'pkg', 'worker.js'), external: ['./full/*'] });

// The page allows exactly one inline script, by its SHA-256; `mtlskit web` sends the same policy
// as a header (native-proxy/build.rs reads it from the page). A changed script without its new
// hash would be refused by the browser: say so here, with the value to put in.
const page = readFileSync(join(site, 'index.html'), 'utf8');
const inline = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1];
if (inline.length !== 1 || policy === undefined) {
  console.error(`web-demo/index.html: expected one inline <script> and a Content-Security-Policy meta tag, found ${inline.length} and ${policy === undefined ? 'none' : 'one'}`);
  process.exit(1);
}
const hash = `'sha256-${createHash('sha256').update(inline[0]).digest('base64')}'`;
const allowed = /script-src ([^;]*)/.exec(policy)?.[1].split(' ') ?? [];
if (!allowed.includes(hash) || allowed.filter((source) => source.startsWith("'sha256-")).length !== 1) {
  console.error(`web-demo/index.html: the inline script's hash is ${hash}; the policy's script-src must list it (and no other hash): script-src ${allowed.join(' ')}`);
  process.exit(1);
}
