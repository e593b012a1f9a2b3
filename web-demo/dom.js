// Small DOM helpers: elements are built with textContent only (never innerHTML), so nothing
// in a certificate can inject markup into the page.

/** h('div', {class: 'x', onclick}, child, 'text', [more]) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Replaces the children of `element`, skipping null and false like h() does. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** A button that copies `text()` to the clipboard and says so. */
export function copyButton(label, text, description = label) {
  const button = h('button', { type: 'button', class: 'small', 'aria-label': `Copy ${description}` }, label);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      flash(button, 'Copied');
    } catch {
      flash(button, 'Copy blocked');
    }
  });
  return button;
}

function flash(button, message) {
  const before = button.textContent;
  button.textContent = message;
  setTimeout(() => { button.textContent = before; }, 1200);
}

/** Offers `data` (string or bytes) as a file download; nothing is uploaded. */
export function download(name, data, type = 'application/octet-stream') {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A download button. */
export function downloadButton(label, name, data, type, description = name) {
  return h('button', {
    type: 'button',
    class: 'small',
    'aria-label': `Download ${description}`,
    onclick: () => download(name, typeof data === 'function' ? data() : data, type),
  }, label);
}

/** The bytes of the first PEM block of `pem`. */
export function pemBytes(pem) {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return Uint8Array.from(atob(body), (character) => character.charCodeAt(0));
}

export function hexToBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index += 1) bytes[index] = parseInt(hex.substr(index * 2, 2), 16);
  return bytes;
}

/** 'AB:CD:...' for a lowercase hex fingerprint, as browsers show it. */
export function colonHex(hex) {
  return hex.toUpperCase().match(/.{2}/g)?.join(':') ?? '';
}

/** A short file-safe name from a subject such as 'CN=server.example.com,O=x'. */
export function fileName(subject, fallback = 'item') {
  const common = /(?:^|,)CN=((?:\\.|[^,])*)/.exec(subject ?? '')?.[1] ?? fallback;
  return common.replace(/\\(.)/g, '$1').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || fallback;
}
