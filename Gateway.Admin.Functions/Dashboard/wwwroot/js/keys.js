// Keys: search, state, limits with current usage, create (raw key shown once), edit, revoke.
import { api, get, post } from './api.js';
import { buildForm, costUnits, rateUnits } from './forms.js';
import { clear, debounce, errorBox, h, int, limitBar, openDialog, pager, table, tags, usd, utc } from './ui.js';
import { keyState, keyUsage } from './keys-data.js';

const pageSize = 20;
const unitNames = { s: 'second', m: 'minute', h: 'hour', d: 'day', mo: 'month' };

export async function renderKeys(container, isCurrent) {
  const state = { name: '', tag: '', revoked: '', offset: 0 };
  const settings = await get('/api/provider-settings');
  const notice = h('div');
  const list = h('div');
  const search = h('input', { type: 'search', placeholder: 'Search by name', 'aria-label': 'Search keys by name', 'data-testid': 'key-search',
    oninput: debounce(() => { state.name = search.value.trim(); state.offset = 0; load(); }) });
  const tagInput = h('input', { type: 'search', placeholder: 'Tag', 'aria-label': 'Filter by tag',
    oninput: debounce(() => { state.tag = tagInput.value.trim(); state.offset = 0; load(); }) });
  const status = h('select', { 'aria-label': 'Filter by state', onchange: () => { state.revoked = status.value; state.offset = 0; load(); } },
    h('option', { value: '' }, 'All keys'), h('option', { value: 'false' }, 'Not revoked'), h('option', { value: 'true' }, 'Revoked'));
  container.append(
    h('h1', null, 'Keys'),
    h('div', { class: 'toolbar' }, h('div', { class: 'grow' }, search), h('div', null, tagInput), h('div', null, status),
      h('button', { type: 'button', 'data-testid': 'new-key', onclick: () => openCreate() }, 'New key')),
    notice, list);

  async function load() {
    delete container.dataset.loaded;
    const body = { limit: pageSize, offset: state.offset, returnCount: true };
    if (state.name) body.name = state.name;
    if (state.tag) body.tags = [state.tag];
    if (state.revoked) body.revoked = state.revoked === 'true';
    try {
      const result = await post('/api/v2/key-management/keys', body);
      const now = Math.floor(Date.now() / 1000);
      const usage = await keyUsage(result.keys, now);
      if (!isCurrent()) return;
      clear(list).append(keyTable(result.keys, usage, now), pager(state.offset, pageSize, result.count, (o) => { state.offset = o; load(); }));
      container.dataset.loaded = String(Date.now());
    } catch (error) {
      if (isCurrent()) clear(list).append(errorBox(error));
    }
  }

  function keyTable(keys, usage, now) {
    return table([
      { title: 'Key', render: (k) => h('div', null, h('strong', null, k.name), h('div', { class: 'muted mono hide-narrow' }, k.keyId)) },
      { title: 'Tags', narrow: true, render: (k) => tags(k.tags) },
      { title: 'State', render: (k) => stateBadge(k, now) },
      { title: 'Limits and usage', render: (k) => limits(k, usage.get(k.keyId)) },
      { title: '', render: (k) => h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'secondary small', onclick: () => openEdit(k) }, 'Edit'),
        k.revoked ? null : h('button', { type: 'button', class: 'danger small', 'data-action': 'revoke', onclick: () => revoke(k) }, 'Revoke')) },
    ], keys, { testId: 'keys-table', rowData: (k) => ({ keyId: k.keyId, name: k.name }), empty: 'No keys match.' });
  }

  function settingOptions() {
    return settings.map((s) => ({ value: s.id, label: `${s.name || s.provider} (${s.provider})` }));
  }

  function keyFields(forEdit) {
    return [
      { name: 'name', label: 'Name', required: !forEdit },
      ...(forEdit ? [] : [{ name: 'key', label: 'Key (the secret clients send)', type: 'password', required: true, help: 'Shown once after creation, never stored: only its hash is.' }]),
      { name: 'tags', label: 'Tags (comma separated)', type: 'list', sendEmpty: forEdit },
      { name: 'settingIds', label: 'Provider settings', type: 'multiselect', options: settingOptions(), required: !forEdit },
      { name: 'costLimitInUsd', label: 'Total spend limit (USD)', type: 'number', keepZero: forEdit, sendEmpty: forEdit },
      { name: 'costLimitInUsdOverTime', label: 'Spend limit per window (USD)', type: 'number', keepZero: forEdit, sendEmpty: forEdit },
      { name: 'costLimitInUsdUnit', label: 'Spend window', type: 'select', options: costUnits, sendEmpty: forEdit },
      { name: 'rateLimitOverTime', label: 'Requests per window', type: 'number', step: 1, keepZero: forEdit, sendEmpty: forEdit },
      { name: 'rateLimitUnit', label: 'Rate window', type: 'select', options: rateUnits, sendEmpty: forEdit },
      { name: 'ttl', label: 'Time to live (e.g. 30d, 12h)', placeholder: 'never expires' },
      { name: 'allowedPaths', label: 'Allowed paths (one "METHOD /path" per line; empty: all)', type: 'paths', sendEmpty: forEdit },
      { name: 'policyId', label: 'Policy id' },
      { name: 'shouldLogRequest', label: 'Log request bodies', type: 'checkbox' },
      { name: 'shouldLogResponse', label: 'Log response bodies', type: 'checkbox' },
      { name: 'rotationEnabled', label: 'Rotate over provider settings', type: 'checkbox' },
    ];
  }

  function openCreate() {
    let close = () => {};
    const form = buildForm(keyFields(false), {
      submitLabel: 'Create key', testId: 'key-form',
      onCancel: () => close(),
      onSubmit: async (body) => {
        const created = await api('PUT', '/api/key-management/keys', body);
        close();
        showRawKeyOnce(created, body.key);
        state.offset = 0;
        await load();
      },
    });
    const keyInput = form.querySelector('input[name="key"]');
    keyInput.after(h('button', { type: 'button', class: 'secondary small', onclick: () => { keyInput.type = 'text'; keyInput.value = generateKey(); } }, 'Generate'));
    close = openDialog('New key', form);
  }

  // The raw key exists only in this browser: it is shown here once and removed from the page on "Done".
  function showRawKeyOnce(created, rawKey) {
    const value = h('code', { class: 'mono', 'data-testid': 'raw-key' }, rawKey);
    clear(notice).append(h('div', { class: 'notice', role: 'status' },
      h('strong', null, `Key "${created.name}" created. Copy it now: it is not shown again.`), value,
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'small', onclick: () => navigator.clipboard?.writeText(rawKey).catch(() => {}) }, 'Copy'),
        h('button', { type: 'button', class: 'secondary small', 'data-testid': 'raw-key-done', onclick: () => clear(notice) }, 'Done'))));
  }

  function openEdit(key) {
    let close = () => {};
    const form = buildForm(keyFields(true), {
      initial: key, submitLabel: 'Save', testId: 'key-edit-form',
      onCancel: () => close(),
      onSubmit: async (body) => { await api('PATCH', `/api/key-management/keys/${encodeURIComponent(key.keyId)}`, body); close(); await load(); },
    });
    close = openDialog(`Edit ${key.name}`, form);
  }

  async function revoke(key) {
    if (!window.confirm(`Revoke "${key.name}"? Requests with it are refused at once.`)) return;
    try {
      await api('PATCH', `/api/key-management/keys/${encodeURIComponent(key.keyId)}`, { revoked: true, revokedReason: 'revoked in the dashboard' });
      await load();
    } catch (error) {
      clear(notice).append(errorBox(error));
    }
  }

  await load();
}

function stateBadge(key, now) {
  const state = keyState(key, now);
  return h('span', { class: `badge ${state}`, 'data-state': state, title: key.revokedReason || '' }, state);
}

function limits(key, usage) {
  const rows = [];
  if (key.costLimitInUsd > 0) rows.push(limitBar('Total spend', usage.total, key.costLimitInUsd, usd));
  else rows.push(h('div', { class: 'muted' }, `Spent ${usd(usage.total)}, no total limit`));
  if (key.costLimitInUsdOverTime > 0) rows.push(limitBar(`Spend this ${unitNames[key.costLimitInUsdUnit] || key.costLimitInUsdUnit}`, usage.windowCost, key.costLimitInUsdOverTime, usd));
  if (key.rateLimitOverTime > 0) rows.push(limitBar(`Requests this ${unitNames[key.rateLimitUnit] || key.rateLimitUnit}`, usage.windowRequests, key.rateLimitOverTime, int));
  if (key.ttl) rows.push(h('div', { class: 'muted' }, `TTL ${key.ttl} from ${utc(key.createdAt)}`));
  return rows;
}

function generateKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `gw-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
