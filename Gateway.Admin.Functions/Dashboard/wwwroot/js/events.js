// Events: the v2 search (POST /api/v2/events) with filters, paging and a detail view.
import { post } from './api.js';
import { clear, errorBox, h, int, ms, openDialog, pager, table, tags, usd, utc } from './ui.js';

const pageSize = 25;
const DAY = 86400;

export async function renderEvents(container, isCurrent) {
  const now = Math.floor(Date.now() / 1000);
  const filters = h('form', { class: 'toolbar', 'data-testid': 'event-filters', autocomplete: 'off' },
    field('keyId', 'Key id'), field('userId', 'User id'), field('customId', 'Custom id'), field('model', 'Model'),
    field('status', 'Status', { type: 'number', min: 100, max: 599, step: 1 }),
    field('from', 'From (UTC)', { type: 'datetime-local', value: toLocalInput(now - 7 * DAY) }),
    field('to', 'To (UTC)', { type: 'datetime-local', value: toLocalInput(now + 60) }),
    h('div', null, h('button', { type: 'submit' }, 'Search')));
  const results = h('div');
  let offset = 0;
  container.append(h('h1', null, 'Events'), filters, results);
  filters.addEventListener('submit', (e) => { e.preventDefault(); offset = 0; load(); });

  async function load() {
    delete container.dataset.loaded;
    const value = (name) => filters.elements[name].value.trim();
    const body = { start: fromLocalInput(value('from')) || now - 7 * DAY, end: fromLocalInput(value('to')) || now + 60, limit: pageSize, offset, returnCount: true };
    if (value('keyId')) body.keyIds = [value('keyId')];
    if (value('userId')) body.userIds = [value('userId')];
    if (value('customId')) body.customIds = [value('customId')];
    if (value('model')) body.models = [value('model')];
    if (value('status')) body.status = Number(value('status'));
    try {
      const result = await post('/api/v2/events', body);
      if (!isCurrent()) return;
      clear(results).append(eventTable(result.events), pager(offset, pageSize, result.count, (o) => { offset = o; load(); }, 'event-count'));
      container.dataset.loaded = String(Date.now());
      container.dataset.count = String(result.count);
    } catch (error) {
      if (isCurrent()) clear(results).append(errorBox(error));
    }
  }

  await load();
}

function field(name, label, attrs = {}) {
  const id = `event-filter-${name}`;
  return h('div', null, h('label', { for: id }, label), h('input', { id, name, type: 'text', ...attrs }));
}

function eventTable(events) {
  return table([
    { title: 'Time (UTC)', render: (e) => utc(e.created_at) },
    { title: 'Key', narrow: true, render: (e) => h('span', { class: 'mono' }, e.key_id) },
    { title: 'Model', render: (e) => e.model },
    { title: 'Status', num: true, render: (e) => e.status },
    { title: 'Tokens', num: true, narrow: true, render: (e) => int(e.prompt_token_count + e.completion_token_count) },
    { title: 'Cost', num: true, render: (e) => usd(e.cost_in_usd) },
    { title: 'Latency', num: true, narrow: true, render: (e) => ms(e.latency_in_ms) },
  ], events, { testId: 'events-table', onRowClick: showDetail, rowData: (e) => ({ eventId: e.id }), empty: 'No events match.' });
}

function showDetail(event) {
  const rows = [
    ['Id', event.id], ['Time', utc(event.created_at)], ['Key', event.key_id], ['Tags', tags(event.tags)],
    ['Provider', event.provider], ['Model', event.model], ['Path', `${event.method} ${event.path}`], ['Status', event.status],
    ['Prompt tokens', int(event.prompt_token_count)], ['Completion tokens', int(event.completion_token_count)],
    ['Cost', usd(event.cost_in_usd)], ['Latency', ms(event.latency_in_ms)], ['User id', event.userId], ['Custom id', event.custom_id],
    ['Action', event.action], ['Route', event.routeId], ['Policy', event.policyId], ['Correlation id', event.correlationId],
  ];
  const content = h('div', { 'data-testid': 'event-detail' },
    h('dl', { class: 'detail-grid' }, rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v === '' || v === null || v === undefined ? '–' : v)])),
    body('Metadata', event.metadata, 'None.'), body('Request body', event.request), body('Response body', event.response),
    h('div', { class: 'form-actions' }, h('button', { type: 'button', onclick: () => close() }, 'Close')));
  const close = openDialog('Event', content);
}

// Bodies are stored only when the key logs them (shouldLogRequest / shouldLogResponse).
function body(title, value, emptyText = 'Not logged for this key.') {
  return h('div', null, h('h3', null, title), value === null || value === undefined
    ? h('p', { class: 'muted' }, emptyText)
    : h('pre', null, typeof value === 'string' ? value : JSON.stringify(value, null, 2)));
}

// datetime-local inputs hold UTC here (the page says so), so the text maps to UTC directly.
function toLocalInput(seconds) { return new Date(seconds * 1000).toISOString().slice(0, 16); }
function fromLocalInput(text) { return text ? Math.floor(Date.parse(`${text}:00Z`) / 1000) || 0 : 0; }
