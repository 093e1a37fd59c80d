// DOM helpers: elements are built with textContent, never from HTML strings, so data cannot inject markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });
const intFormat = new Intl.NumberFormat('en-US');
export const usd = (v) => usdFormat.format(Number(v) || 0);
export const int = (v) => intFormat.format(Math.round(Number(v) || 0));
export const pct = (v) => `${(Number(v) * 100 || 0).toFixed(1)}%`;
export const ms = (v) => `${int(v)} ms`;

/** A unix-seconds time as UTC text: "2026-11-29 17:05:00 UTC". */
export function utc(seconds) {
  if (!seconds) return '';
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function tags(list) { return (list || []).map((t) => h('span', { class: 'tag' }, t)); }

export function table(columns, rows, options = {}) {
  const head = h('tr', null, columns.map((c) => h('th', { class: c.num ? 'num' : c.narrow ? 'hide-narrow' : null }, c.title)));
  const body = rows.map((row) => {
    const tr = h('tr', { class: options.onRowClick ? 'clickable' : null, dataset: options.rowData ? options.rowData(row) : undefined },
      columns.map((c) => h('td', { class: c.num ? 'num' : c.narrow ? 'hide-narrow' : null }, c.render(row))));
    if (options.onRowClick) tr.addEventListener('click', () => options.onRowClick(row));
    return tr;
  });
  if (rows.length === 0) body.push(h('tr', null, h('td', { colspan: columns.length, class: 'muted' }, options.empty || 'Nothing yet.')));
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': options.testId }, h('thead', null, head), h('tbody', null, body)));
}

/** A progress bar of `value` against `limit`, with its label. */
export function limitBar(label, value, limit, format) {
  const ratio = limit > 0 ? Math.min(value / limit, 1) : 0;
  const fill = h('span');
  fill.style.width = `${(ratio * 100).toFixed(1)}%`;
  const bar = h('div', { class: `bar${ratio >= 1 ? ' full' : ratio >= 0.8 ? ' high' : ''}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': limit, 'aria-valuenow': value, 'aria-label': label }, fill);
  return h('div', { class: 'limit' }, h('div', { class: 'label' }, h('span', null, label), h('span', null, `${format(value)} / ${format(limit)}`)), bar);
}

/** Opens a modal dialog with `content`; returns a function that closes it. */
export function openDialog(title, content) {
  const dialog = h('dialog', null, h('h2', null, title), content);
  const close = () => { dialog.close(); dialog.remove(); };
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
  document.body.append(dialog);
  dialog.showModal();
  return close;
}

export function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error));
}

export function debounce(fn, wait = 300) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), wait); };
}

/** Previous / "1–20 of 57" / Next; `go(offset)` loads another page. */
export function pager(offset, pageSize, count, go, testId) {
  const last = Math.min(offset + pageSize, count);
  return h('div', { class: 'pager' },
    h('button', { type: 'button', class: 'secondary small', disabled: offset === 0, onclick: () => go(offset - pageSize) }, 'Previous'),
    h('span', { class: 'muted', 'data-testid': testId }, count ? `${offset + 1}–${last} of ${count}` : 'None'),
    h('button', { type: 'button', class: 'secondary small', disabled: last >= count, onclick: () => go(offset + pageSize) }, 'Next'));
}
