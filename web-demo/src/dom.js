// Small DOM helpers. Elements are built either with h() (text only, never innerHTML) or, for
// the cards of a large bundle, as markup with html`...`, which escapes every interpolated value
// that is not itself html`...`: nothing in a certificate can inject markup into the page (and
// the page's Content-Security-Policy runs no inline script or style even if it could).

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

/** Markup made by html`...` (interpolating it does not escape it again). */
class Markup {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

/** A tagged template: html`<b>${value}</b>` escapes `value` (text, attribute values: always
 * quote attributes) unless it is Markup; arrays are joined; null, undefined and false are
 * left out, as h() does. */
export function html(strings, ...values) {
  let text = strings[0];
  for (let index = 0; index < values.length; index += 1) text += markup(values[index]) + strings[index + 1];
  return new Markup(text);
}

/** Markup parts one after the other (`+` would turn them into text that html`` escapes). */
export function join(...parts) {
  return new Markup(markup(parts));
}

function markup(value) {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(markup).join('');
  return String(value).replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

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
  button.addEventListener('click', () => copyText(button, text()));
  return button;
}

/** The markup of a button that copies `text` (handled by the listener of copyButtons()). */
export function copyButtonMarkup(label, text, description = label) {
  return html`<button type="button" class="small" data-copy="${text}" aria-label="Copy ${description}">${label}</button>`;
}

/** One listener on `container` for every copyButtonMarkup() inside it. */
export function copyButtons(container) {
  container.addEventListener('click', (event) => {
    const button = event.target.closest?.('button[data-copy]');
    if (button && container.contains(button)) copyText(button, button.dataset.copy);
  });
}

async function copyText(button, text) {
  try {
    await navigator.clipboard.writeText(text);
    flash(button, 'Copied');
  } catch {
    flash(button, 'Copy blocked');
  }
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
