// Provider settings (credentials are masked by the API and never filled back into a form),
// custom providers, routes and users: lists and create/edit forms.
import { api, get } from './api.js';
import { buildForm, costUnits, rateUnits } from './forms.js';
import { clear, errorBox, h, openDialog, table, tags, utc } from './ui.js';

// The credential and parameter names each built-in provider's setting takes (BricksLLM's).
const providerParams = {
  openai: [['apikey', true]],
  anthropic: [['apikey', true]],
  deepinfra: [['apikey', true]],
  azure: [['resourceName', false], ['apikey', true]],
  vllm: [['url', false], ['apikey', true]],
  bedrock: [['awsAccessKeyId', true], ['awsSecretAccessKey', true], ['awsRegion', false]],
};

const tabs = [
  ['settings', 'Provider settings', renderSettings],
  ['custom', 'Custom providers', renderCustomProviders],
  ['routes', 'Routes', renderRoutes],
  ['users', 'Users', renderUsers],
];
let selectedTab = 'settings';

export async function renderProviders(container, isCurrent) {
  const bar = h('div', { class: 'tabs', role: 'tablist' });
  const body = h('div');
  container.append(h('h1', null, 'Providers, routes and users'), bar, body);
  async function show(name) {
    selectedTab = name;
    delete container.dataset.loaded;
    for (const b of bar.children) b.classList.toggle('active', b.dataset.tab === name);
    clear(body);
    const section = h('div', { 'data-section': name });
    body.append(section);
    try {
      await tabs.find(([n]) => n === name)[2](section, () => show(name));
      if (isCurrent()) container.dataset.loaded = name;
    } catch (error) {
      if (isCurrent()) section.append(errorBox(error));
    }
  }
  for (const [name, title] of tabs) bar.append(h('button', { type: 'button', role: 'tab', 'data-tab': name, onclick: () => show(name) }, title));
  await show(selectedTab);
}

function section(container, title, buttonLabel, onNew, content) {
  container.append(h('div', { class: 'toolbar' }, h('h2', { class: 'grow' }, title), h('button', { type: 'button', onclick: onNew, 'data-testid': `new-${title.toLowerCase().replace(/\W+/g, '-')}` }, buttonLabel)), content);
}

function dialogForm(title, fields, options) {
  let close = () => {};
  const form = buildForm(fields, { ...options, onCancel: () => close(), onSubmit: async (body) => { await options.onSubmit(body); close(); } });
  close = openDialog(title, form);
  return form;
}

async function renderSettings(container, reload) {
  const [settings, custom] = await Promise.all([get('/api/provider-settings'), get('/api/custom/providers')]);
  const providers = [...Object.keys(providerParams), ...custom.map((c) => c.provider)];
  const masked = (s) => Object.entries(s.setting || {}).map(([k, v]) => h('div', { class: 'mono' }, `${k}: ${v}`));
  section(container, 'Provider settings', 'New setting', openCreate, table([
    { title: 'Name', render: (s) => h('div', null, h('strong', null, s.name || '(unnamed)'), h('div', { class: 'muted mono' }, s.id)) },
    { title: 'Provider', render: (s) => s.provider },
    { title: 'Parameters (credentials masked)', render: masked },
    { title: 'Allowed models', narrow: true, render: (s) => (s.allowedModels.length ? tags(s.allowedModels) : h('span', { class: 'muted' }, 'all')) },
    { title: '', render: (s) => h('button', { type: 'button', class: 'secondary small', onclick: () => openEdit(s) }, 'Edit') },
  ], settings, { testId: 'settings-table', empty: 'No provider settings yet.' }));

  function credentialFields(provider, forEdit) {
    const custom = !providerParams[provider];
    const params = custom ? [['apikey', true]] : providerParams[provider];
    return params.map(([name, secret]) => ({
      name: `setting.${name}`, label: `${name}${secret && forEdit ? ' (leave empty to keep)' : ''}`, type: secret ? 'password' : 'text', unchangedWhenEmpty: forEdit,
    }));
  }

  function openCreate() {
    const providerSelect = { name: 'provider', label: 'Provider', type: 'select', options: providers, required: true };
    let close = () => {};
    const render = (provider) => {
      const form = buildForm([
        providerSelect, { name: 'name', label: 'Name' }, ...credentialFields(provider, false),
        { name: 'allowedModels', label: 'Allowed models (comma separated; empty: all)', type: 'list' },
        { name: 'costMap', label: 'Cost map (JSON, USD per 1K tokens by model; optional)', type: 'json' },
      ], {
        initial: { provider }, submitLabel: 'Create setting', testId: 'setting-form', onCancel: () => close(),
        onSubmit: async (body) => { await api('PUT', '/api/provider-settings', body); close(); reload(); },
      });
      form.querySelector('select[name="provider"]').addEventListener('change', (e) => { close(); render(e.target.value); });
      close = openDialog('New provider setting', form);
    };
    render(providers[0]);
  }

  function openEdit(setting) {
    dialogForm(`Edit ${setting.name || setting.provider}`, [
      { name: 'name', label: 'Name' }, ...credentialFields(setting.provider, true),
      { name: 'allowedModels', label: 'Allowed models (comma separated; empty: all)', type: 'list', sendEmpty: true },
      { name: 'costMap', label: 'Cost map (JSON)', type: 'json' },
    ], {
      // Only the non-secret fields are filled in; the masked credentials are never put in a form.
      initial: { name: setting.name, allowedModels: setting.allowedModels, costMap: setting.costMap }, submitLabel: 'Save', testId: 'setting-edit-form',
      onSubmit: async (body) => { await api('PATCH', `/api/provider-settings/${encodeURIComponent(setting.id)}`, body); reload(); },
    });
  }
}

const routeConfigTemplate = JSON.stringify([{
  path: '/chat/completions', target_url: 'https://api.example.com/v1/chat/completions', model_location: 'model',
  request_prompt_location: 'messages.#.content', response_completion_location: 'choices.#.message.content',
  stream_location: 'stream', stream_end_word: '[DONE]', stream_response_completion_location: 'choices.#.delta.content', stream_max_empty_messages: 10,
}], null, 2);

async function renderCustomProviders(container, reload) {
  const providers = await get('/api/custom/providers');
  section(container, 'Custom providers', 'New custom provider', () => dialogForm('New custom provider', [
    { name: 'provider', label: 'Name (used in /api/custom/providers/{name}/...)', required: true },
    { name: 'authentication_param', label: 'Authentication parameter' },
    { name: 'route_configs', label: 'Route configs (JSON)', type: 'json', template: routeConfigTemplate, required: true },
  ], { submitLabel: 'Create', testId: 'custom-provider-form', onSubmit: async (body) => { await api('POST', '/api/custom/providers', body); reload(); } }),
  table([
    { title: 'Provider', render: (p) => h('div', null, h('strong', null, p.provider), h('div', { class: 'muted mono' }, p.id)) },
    { title: 'Auth parameter', render: (p) => p.authentication_param || '' },
    { title: 'Routes', render: (p) => (p.route_configs || []).map((r) => h('div', { class: 'mono' }, `${r.path} → ${r.target_url}`)) },
    { title: '', render: (p) => h('button', { type: 'button', class: 'secondary small', onclick: () => dialogForm(`Edit ${p.provider}`, [
      { name: 'authentication_param', label: 'Authentication parameter' },
      { name: 'route_configs', label: 'Route configs (JSON)', type: 'json' },
    ], { initial: p, submitLabel: 'Save', onSubmit: async (body) => { await api('PATCH', `/api/custom/providers/${encodeURIComponent(p.id)}`, body); reload(); } }) }, 'Edit') },
  ], providers, { testId: 'custom-providers-table', empty: 'No custom providers.' }));
}

const stepsTemplate = JSON.stringify([{ provider: 'openai', model: 'gpt-4o-mini', retries: 1 }, { provider: 'azure', model: 'gpt-4o-mini', params: { deploymentId: 'my-deployment', apiVersion: '2024-06-01' } }], null, 2);

async function renderRoutes(container, reload) {
  const routes = await get('/api/routes');
  section(container, 'Routes', 'New route', () => dialogForm('New route', [
    { name: 'name', label: 'Name', required: true },
    { name: 'path', label: 'Path (called as /api/routes/{path})', required: true },
    { name: 'keyIds', label: 'Key ids allowed (comma separated)', type: 'list' },
    { name: 'retryStrategy', label: 'Retry strategy', type: 'select', options: ['', 'constant', 'exponential'] },
    { name: 'requestFormat', label: 'Request format', type: 'select', options: ['', 'openai_embeddings'] },
    { name: 'cacheConfig.enabled', label: 'Cache responses', type: 'checkbox' },
    { name: 'cacheConfig.ttl', label: 'Cache TTL (e.g. 1h)' },
    { name: 'steps', label: 'Steps (JSON)', type: 'json', template: stepsTemplate, required: true },
  ], { submitLabel: 'Create route', testId: 'route-form', onSubmit: async (body) => { await api('POST', '/api/routes', body); reload(); } }),
  table([
    { title: 'Route', render: (r) => h('div', null, h('strong', null, r.name), h('div', { class: 'muted mono' }, r.id)) },
    { title: 'Path', render: (r) => h('span', { class: 'mono' }, r.path) },
    { title: 'Steps', render: (r) => (r.steps || []).map((s) => h('div', null, `${s.provider} / ${s.model}`)) },
    { title: 'Cache', narrow: true, render: (r) => (r.cacheConfig && r.cacheConfig.enabled ? `on, ${r.cacheConfig.ttl}` : 'off') },
    { title: '', render: (r) => h('button', { type: 'button', class: 'danger small', onclick: async () => {
      if (!window.confirm(`Delete route "${r.name}"?`)) return;
      try { await api('DELETE', `/api/routes/${encodeURIComponent(r.id)}`); reload(); } catch (error) { container.append(errorBox(error)); }
    } }, 'Delete') },
  ], routes, { testId: 'routes-table', empty: 'No routes.' }));
}

function userFields(forEdit) {
  return [
    { name: 'name', label: 'Name' },
    ...(forEdit ? [] : [{ name: 'userId', label: 'User id (as sent in requests; generated when empty)' }]),
    { name: 'tags', label: 'Tags (comma separated)', type: 'list', sendEmpty: forEdit },
    { name: 'keyIds', label: 'Key ids (comma separated)', type: 'list', sendEmpty: forEdit },
    { name: 'costLimitInUsd', label: 'Total spend limit (USD)', type: 'number', keepZero: forEdit, sendEmpty: forEdit },
    { name: 'costLimitInUsdOverTime', label: 'Spend limit per window (USD)', type: 'number', keepZero: forEdit, sendEmpty: forEdit },
    { name: 'costLimitInUsdUnit', label: 'Spend window', type: 'select', options: costUnits, sendEmpty: forEdit },
    { name: 'rateLimitOverTime', label: 'Requests per window', type: 'number', step: 1, keepZero: forEdit, sendEmpty: forEdit },
    { name: 'rateLimitUnit', label: 'Rate window', type: 'select', options: rateUnits, sendEmpty: forEdit },
    { name: 'ttl', label: 'Time to live (e.g. 30d)' },
    { name: 'allowedModels', label: 'Allowed models (comma separated; empty: all)', type: 'list', sendEmpty: forEdit },
    { name: 'allowedPaths', label: 'Allowed paths (one "METHOD /path" per line)', type: 'paths', sendEmpty: forEdit },
    ...(forEdit ? [{ name: 'revoked', label: 'Revoked', type: 'checkbox' }] : []),
  ];
}

async function renderUsers(container, reload) {
  const users = await get('/api/users');
  section(container, 'Users', 'New user', () => dialogForm('New user', userFields(false), {
    submitLabel: 'Create user', testId: 'user-form', onSubmit: async (body) => { await api('POST', '/api/users', body); reload(); },
  }), table([
    { title: 'User', render: (u) => h('div', null, h('strong', null, u.name || u.userId), h('div', { class: 'muted mono' }, u.userId)) },
    { title: 'Tags', narrow: true, render: (u) => tags(u.tags) },
    { title: 'Limits', render: (u) => [
      u.costLimitInUsd > 0 ? h('div', null, `Total $${u.costLimitInUsd}`) : null,
      u.costLimitInUsdOverTime > 0 ? h('div', null, `$${u.costLimitInUsdOverTime} per ${u.costLimitInUsdUnit}`) : null,
      u.rateLimitOverTime > 0 ? h('div', null, `${u.rateLimitOverTime} requests per ${u.rateLimitUnit}`) : null] },
    { title: 'State', render: (u) => h('span', { class: `badge ${u.revoked ? 'revoked' : 'active'}` }, u.revoked ? 'revoked' : 'active') },
    { title: 'Created', narrow: true, render: (u) => utc(u.createdAt) },
    { title: '', render: (u) => h('button', { type: 'button', class: 'secondary small', onclick: () => dialogForm(`Edit ${u.name || u.userId}`, userFields(true), {
      initial: u, submitLabel: 'Save', testId: 'user-edit-form', onSubmit: async (body) => { await api('PATCH', `/api/users/${encodeURIComponent(u.id)}`, body); reload(); },
    }) }, 'Edit') },
  ], users, { testId: 'users-table', empty: 'No users.' }));
}
