// Overview: time series over the last hour/day/week/month (UTC) from /api/reporting/events (or
// /events-by-day for week and month), breakdowns by model, provider, key and tag, and top keys.
import { post, pooled } from './api.js';
import { clear, errorBox, h, int, ms, pct, table, usd } from './ui.js';
import { keyNames } from './keys-data.js';

const DAY = 86400;

// Bucket sizes: a minute over the last hour, an hour over the last day, and BricksLLM's day
// buckets (/api/reporting/events-by-day) over the last week and month. Latency percentiles are
// one reporting call per latency bucket, so their buckets are coarser over the hour.
export const periods = {
  hour: { label: 'Hour', seconds: 3600, increment: 60, latencyIncrement: 300 },
  day: { label: 'Day', seconds: DAY, increment: 3600, latencyIncrement: 3600 },
  week: { label: 'Week', seconds: 7 * DAY, increment: DAY, byDay: true, latencyIncrement: DAY },
  month: { label: 'Month', seconds: 30 * DAY, increment: DAY, byDay: true, latencyIncrement: DAY },
};

let charts = [];
let selected = 'day';

/** [start, end): the period ending with the current bucket, aligned to bucket boundaries (UTC). */
export function periodRange(period, nowSeconds) {
  const end = (Math.floor(nowSeconds / period.increment) + 1) * period.increment;
  return { start: end - period.seconds, end };
}

export async function renderOverview(container, isCurrent) {
  const switcher = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Period' });
  const body = h('div');
  for (const [name, period] of Object.entries(periods)) {
    switcher.append(h('button', { type: 'button', class: name === selected ? 'active' : null, 'data-period': name, onclick: () => {
      selected = name;
      for (const b of switcher.children) b.classList.toggle('active', b.dataset.period === name);
      load();
    } }, period.label));
  }
  const range = h('span', { class: 'muted', 'data-testid': 'overview-range' });
  container.append(h('h1', null, 'Overview'), h('div', { class: 'toolbar' }, switcher, range), body);

  async function load() {
    delete container.dataset.loaded;
    destroyCharts();
    clear(body).append(h('p', { class: 'muted' }, 'Loading…'));
    const period = periods[selected];
    const { start, end } = periodRange(period, Math.floor(Date.now() / 1000));
    range.textContent = `${new Date(start * 1000).toISOString().slice(0, 16).replace('T', ' ')} – ${new Date(end * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    try {
      const view = await loadData(period, start, end);
      if (!isCurrent() || periods[selected] !== period) return;
      clear(body);
      renderData(body, period, view);
      container.dataset.loaded = selected;
    } catch (error) {
      if (isCurrent()) clear(body).append(errorBox(error));
    }
  }
  await load();
}

async function loadData(period, start, end) {
  const series = post(period.byDay ? '/api/reporting/events-by-day' : '/api/reporting/events', { start, end, increment: period.increment });
  const whole = (filters, extra = {}) => post('/api/reporting/events', { start, end, increment: end - start, filters, ...extra });
  const latencyBuckets = [];
  for (let t = start; t < end; t += period.latencyIncrement) latencyBuckets.push(t);
  const latency = pooled(latencyBuckets.map((t) => () =>
    post('/api/reporting/events', { start: t, end: Math.min(t + period.latencyIncrement, end), increment: period.latencyIncrement })
      .then((r) => ({ t, p50: r.latencyInMsMedian, p99: r.latencyInMs99th, n: r.dataPoints.reduce((s, p) => s + p.numberOfRequests, 0) }))));
  const tagList = await post('/api/v2/key-management/keys', { limit: 200 }).then((r) => [...new Set(r.keys.flatMap((k) => k.tags))].sort().slice(0, 12));
  const byTag = pooled(tagList.map((tag) => () => whole([], { tags: [tag] }).then((r) => ({ tag, ...sum(r.dataPoints) }))));
  const [main, latencyPoints, byModel, byProvider, byKey, tagRows, top] = await Promise.all([
    series, latency, whole(['model']), whole(['provider']), whole(['keyId']), byTag,
    post('/api/reporting/top-keys', { start, end, limit: 10 }),
  ]);
  const keyIds = [...new Set([...byKey.dataPoints.map((p) => p.keyId), ...top.dataPoints.map((p) => p.keyId)].filter(Boolean))];
  return { main, latencyPoints, byModel, byProvider, byKey, tagRows, top, names: await keyNames(keyIds) };
}

function sum(points) {
  const total = { requests: 0, cost: 0, prompt: 0, completion: 0, success: 0, latency: 0 };
  for (const p of points) {
    total.requests += p.numberOfRequests; total.cost += p.costInUsd; total.prompt += p.promptTokenCount;
    total.completion += p.completionTokenCount; total.success += p.successCount; total.latency += p.latencyInMs;
  }
  return total;
}

function renderData(body, period, view) {
  const points = view.main.dataPoints;
  const total = sum(points);
  const errorRate = total.requests ? (total.requests - total.success) / total.requests : 0;
  body.append(h('div', { class: 'stats', 'data-testid': 'overview-stats' },
    stat('Requests', int(total.requests), 'requests', total.requests),
    stat('Spend', usd(total.cost), 'spend', total.cost),
    stat('Tokens', int(total.prompt + total.completion), 'tokens', total.prompt + total.completion),
    stat('Error rate', pct(errorRate), 'errorRate', errorRate),
    stat('Latency p50', ms(view.main.latencyInMsMedian), 'p50', view.main.latencyInMsMedian),
    stat('Latency p99', ms(view.main.latencyInMs99th), 'p99', view.main.latencyInMs99th)));

  const labels = points.map((p) => label(period, p.timeStamp));
  const grid = h('div', { class: 'charts' });
  body.append(grid);
  chart(grid, 'requests', 'Requests', 'bar', labels, [{ label: 'Requests', data: points.map((p) => p.numberOfRequests) }]);
  chart(grid, 'spend', 'Spend (USD)', 'bar', labels, [{ label: 'Spend (USD)', data: points.map((p) => p.costInUsd) }]);
  chart(grid, 'tokens', 'Tokens', 'bar', labels, [
    { label: 'Prompt', data: points.map((p) => p.promptTokenCount) },
    { label: 'Completion', data: points.map((p) => p.completionTokenCount) }], { stacked: true });
  chart(grid, 'errorRate', 'Error rate (%)', 'line', labels, [{ label: 'Error rate (%)', data: points.map((p) => (p.numberOfRequests ? (100 * (p.numberOfRequests - p.successCount)) / p.numberOfRequests : null)), spanGaps: true }]);
  const lp = view.latencyPoints;
  chart(grid, 'latency', 'Latency (ms)', 'line', lp.map((p) => label(period, p.t)), [
    { label: 'p50', data: lp.map((p) => (p.n ? p.p50 : null)), spanGaps: true },
    { label: 'p99', data: lp.map((p) => (p.n ? p.p99 : null)), spanGaps: true }]);

  body.append(h('h2', null, 'Breakdowns'));
  const breakdowns = h('div', { class: 'breakdowns' });
  body.append(breakdowns);
  breakdowns.append(
    breakdown('Model', 'by-model', group(view.byModel.dataPoints, 'model')),
    breakdown('Provider', 'by-provider', group(view.byProvider.dataPoints, 'provider')),
    breakdown('Key', 'by-key', group(view.byKey.dataPoints, 'keyId').map((r) => ({ ...r, name: view.names.get(r.name) || r.name || '(no key)' }))),
    breakdown('Tag', 'by-tag', view.tagRows.filter((r) => r.requests > 0).map((r) => ({ ...r, name: r.tag }))));

  body.append(h('h2', null, 'Top keys by spend'), table([
    { title: 'Key', render: (r) => h('span', null, view.names.get(r.keyId) || r.keyId, h('div', { class: 'muted mono' }, r.keyId)) },
    { title: 'Spend', num: true, render: (r) => usd(r.costInUsd) }], view.top.dataPoints, { testId: 'top-keys', empty: 'No keys.' }));
}

function stat(title, text, name, value) {
  return h('div', { class: 'card stat', 'data-stat': name, 'data-value': value }, h('div', { class: 'muted' }, title), h('div', { class: 'value' }, text));
}

function group(points, field) {
  const rows = new Map();
  for (const p of points) {
    if (!p.numberOfRequests) continue;
    const key = p[field] || '';
    const row = rows.get(key) || { name: key, requests: 0, cost: 0, prompt: 0, completion: 0, success: 0 };
    row.requests += p.numberOfRequests; row.cost += p.costInUsd; row.prompt += p.promptTokenCount;
    row.completion += p.completionTokenCount; row.success += p.successCount;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.cost - a.cost || b.requests - a.requests);
}

function breakdown(title, testId, rows) {
  return h('div', { class: 'card' }, h('h3', null, `By ${title.toLowerCase()}`), table([
    { title, render: (r) => r.name || '(none)' },
    { title: 'Requests', num: true, render: (r) => int(r.requests) },
    { title: 'Spend', num: true, render: (r) => usd(r.cost) },
    { title: 'Tokens', num: true, narrow: true, render: (r) => int(r.prompt + r.completion) },
    { title: 'Errors', num: true, render: (r) => pct(r.requests ? (r.requests - r.success) / r.requests : 0) }], rows, { testId, empty: 'No requests in this period.' }));
}

function label(period, t) {
  const iso = new Date(t * 1000).toISOString();
  return period.byDay ? iso.slice(5, 10) : iso.slice(11, 16);
}

const palette = ['#2f6fde', '#e07b39', '#23885a', '#c93c37', '#8a55c9'];

function chart(grid, name, title, type, labels, datasets, { stacked = false } = {}) {
  const canvas = h('canvas', { 'data-chart': name, role: 'img', 'aria-label': title });
  grid.append(h('div', { class: 'card' }, h('h3', null, title), h('div', { class: 'chart-box' }, canvas)));
  datasets.forEach((d, i) => { d.backgroundColor = palette[i]; d.borderColor = palette[i]; d.pointRadius = type === 'line' ? 2 : undefined; });
  charts.push(new window.Chart(canvas, {
    type,
    data: { labels, datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { display: datasets.length > 1 } },
      scales: { x: { stacked, ticks: { maxTicksLimit: 8, maxRotation: 0 } }, y: { stacked, beginAtZero: true } },
    },
  }));
}

function destroyCharts() {
  for (const c of charts) c.destroy();
  charts = [];
}
