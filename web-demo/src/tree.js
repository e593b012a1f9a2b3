// The ASN.1 view of a card: the core's tree of the raw DER (field names from the RFCs) and a
// hex view of the selected node, with copy and save. The tree is requested from the worker
// the first time a card's section is opened (render.js listens for it).
import { h, fill, copyButton, download, hexToBytes } from './dom.js';

const HEX_LIMIT = 4096;
let request = null;

/** Sets the function that asks the worker for a tree: (bytes) => Promise<tree>. */
export function useTreeSource(source) {
  request = source;
}

/** Fills the opened ASN.1 section of a card (render.js: a `details` with an `.asn1-body`)
 * with the tree of `pem`, the first time it is opened. */
export async function loadAsn1(section, pem, baseName) {
  if (section.dataset.loaded) return;
  section.dataset.loaded = 'yes';
  const body = section.querySelector('.asn1-body');
  try {
    const tree = await request(new TextEncoder().encode(pem));
    fill(body, treeAndHex(tree, baseName));
  } catch (error) {
    fill(body, h('p', { class: 'error-text' }, error.message));
  }
}

function treeAndHex(tree, baseName) {
  const hexPane = h('div', { class: 'hex-pane' });
  const select = (node, row) => {
    for (const selected of row.closest('.asn1-tree').querySelectorAll('[aria-selected="true"]')) selected.setAttribute('aria-selected', 'false');
    row.setAttribute('aria-selected', 'true');
    showHex(hexPane, tree.der_hex, node, baseName);
  };
  const root = h('ul', { class: 'asn1-tree', role: 'tree', 'aria-label': `ASN.1 of ${baseName}` }, nodeItem(tree.root, 0, select));
  const firstRow = root.querySelector('.node');
  if (firstRow) select(tree.root, firstRow);
  return [
    tree.truncated ? h('p', { class: 'hint' }, 'The structure is very large; the tree stops early.') : null,
    h('div', { class: 'asn1-panes' }, root, hexPane),
  ];
}

function nodeItem(node, depth, select) {
  const label = [
    node.field ? h('span', { class: 'field' }, node.field) : null,
    h('span', { class: 'tag' }, node.tag),
    node.value ? h('span', { class: 'value' }, node.value) : null,
    h('span', { class: 'at' }, `@${node.offset}+${node.header_length + node.length}`),
  ];
  const attributes = { class: 'node', role: 'treeitem', 'aria-selected': 'false' };
  if (!node.children?.length) {
    const row = h('button', { type: 'button', ...attributes }, label);
    row.addEventListener('click', () => select(node, row));
    return h('li', { role: 'none' }, row);
  }
  const summary = h('summary', attributes, label, node.encapsulated ? h('span', { class: 'encapsulated' }, 'contains') : null);
  summary.addEventListener('click', () => select(node, summary));
  return h('li', { role: 'none' },
    h('details', { open: depth < 4 },
      summary,
      h('ul', { role: 'group' }, node.children.map((child) => nodeItem(child, depth + 1, select)))));
}

function showHex(pane, derHex, node, baseName) {
  const start = node.offset * 2;
  const headerEnd = start + node.header_length * 2;
  const end = headerEnd + node.length * 2;
  const hex = derHex.slice(start, end);
  const name = `${baseName}-${node.field ?? node.tag.replace(/[^A-Za-z0-9]+/g, '')}-${node.offset}`;
  const lines = [];
  const shown = Math.min(hex.length / 2, HEX_LIMIT);
  for (let line = 0; line < shown; line += 16) {
    const bytes = [];
    for (let index = line; index < Math.min(line + 16, shown); index += 1) {
      const byte = hex.substr(index * 2, 2);
      bytes.push(index < node.header_length ? h('span', { class: 'header-byte' }, byte) : byte, ' ');
    }
    lines.push(h('div', {}, h('span', { class: 'offset' }, (node.offset + line).toString(16).padStart(6, '0')), '  ', bytes));
  }
  fill(pane,
    h('div', { class: 'hex-actions' },
      h('span', {}, `${node.field ?? node.tag}: ${node.header_length} header + ${node.length} content bytes at offset ${node.offset}`),
      copyButton('Copy hex', () => hex, 'node as hex'),
      h('button', { type: 'button', class: 'small', onclick: () => download(`${name}.der`, hexToBytes(hex)) }, 'Save node')),
    h('pre', { class: 'hex', tabindex: '0', 'aria-label': 'hex bytes of the selected node' }, lines),
    hex.length / 2 > HEX_LIMIT ? h('p', { class: 'hint' }, `${hex.length / 2 - HEX_LIMIT} more bytes: save the node to see them all.`) : null);
}
