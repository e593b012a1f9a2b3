// The page's side of the worker protocol: ask() sends a request and resolves with the answer
// ({id, ok: true, value}, {id, ok: false, error} or parts {id, part} before the answer). The
// worker itself was started by the script at the top of index.html, before the page was parsed.
let worker;
let pending = new Map();
let nextRequest = 1;
let onFailure = () => {};
let failure = null;

listen(self.mtlskitBoot.worker);

/** Sends a request to the worker; resolves with its value or rejects with {code, message}. */
export function ask(kind, request, onPart) {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onPart });
    worker.postMessage({ id, kind, request });
  });
}

/** `report(message)` is called when the worker itself cannot start. */
export function onWorkerFailure(report) {
  onFailure = report;
  if (failure) report(failure);
}

function listen(started) {
  worker = started;
  worker.onmessage = ({ data }) => {
    const waiting = pending.get(data.id);
    if (!waiting) return;
    if (data.part) return waiting.onPart?.(data.part);
    pending.delete(data.id);
    if (data.ok) return waiting.resolve(data.value);
    if (data.error.code === 'Internal') restartWorker();
    waiting.reject(Object.assign(new Error(data.error.message), data.error));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    failure = event.message ?? 'the module did not load';
    onFailure(failure);
  };
}

// A trapped module is unusable: the next request gets a fresh worker (with the same compiled
// module, so a restart costs no download or compilation).
function restartWorker() {
  const old = pending;
  worker.terminate();
  pending = new Map();
  listen(self.mtlskitBoot.startWorker());
  for (const waiting of old.values()) waiting.reject(Object.assign(new Error('the inspector restarted'), { code: 'Internal' }));
}
