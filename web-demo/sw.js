// The page's service worker: the inspector keeps working without the network once loaded.
// - Installing it stores the page's own files (SHELL: what the first load fetched, so the
//   browser's cache answers or the server says "not modified"); from then on a reload, the
//   module and the worker come from this cache when the network or the server is gone.
// - Every same-origin GET goes to the network first, so a new version of the page is used as
//   soon as the server has it, and the answer replaces the stored copy. The whole API's module
//   (pkg/full/, loaded to create a test PKI) is stored the same way the first time it is
//   fetched: the page fetches it when the "Create a test PKI" dialog opens (not on first load,
//   which stays within its size budget), so creating a PKI works offline once it was opened.
// Nothing is sent anywhere: the worker only answers the page's own requests.
'use strict';

const CACHE = 'mtlskit-inspector';
const SHELL = ['./', 'style.css', 'pkg/main.js', 'pkg/worker.js', 'pkg/mtlskit_wasm_bg.wasm'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  // Navigation preload starts the page's request while this worker starts; claim() puts the
  // page that registered it (and its module worker) under it without a reload.
  event.waitUntil(Promise.all([self.registration.navigationPreload?.enable(), self.clients.claim()]));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(networkFirst(event));
});

async function networkFirst(event) {
  const { request } = event;
  try {
    const response = (await event.preloadResponse) ?? await fetch(request);
    if (response.ok && response.type === 'basic') event.waitUntil(store(request, response.clone()));
    return response;
  } catch (error) {
    const stored = await caches.match(request, { ignoreSearch: true });
    if (stored) return stored;
    throw error;
  }
}

/** Keeps `response` unless the stored copy is the same version (same ETag, or Last-Modified
 * from a server without tags): a repeat visit then writes nothing. */
async function store(request, response) {
  const cache = await caches.open(CACHE);
  const version = (answer) => answer?.headers.get('etag') ?? answer?.headers.get('last-modified') ?? null;
  const current = version(response);
  if (current !== null && current === version(await cache.match(request))) {
    await response.body?.cancel();
    return;
  }
  await cache.put(request, response);
}
