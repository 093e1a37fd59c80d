// Key look-ups shared by the pages: names by id, the current window of a limit, a key's state.
import { post } from './api.js';

/** keyId → name, for the given ids (one v2 key search). */
export async function keyNames(keyIds) {
  if (keyIds.length === 0) return new Map();
  const result = await post('/api/v2/key-management/keys', { keyIds });
  return new Map(result.keys.map((k) => [k.keyId, k.name]));
}

/** Start (unix seconds) of the fixed UTC window a limit unit counts in: s, m, h, d, mo. */
export function windowStart(unit, now) {
  const date = new Date(now * 1000);
  switch (unit) {
    case 's': return now;
    case 'm': return now - (now % 60);
    case 'h': return now - (now % 3600);
    case 'd': return now - (now % 86400);
    case 'mo': return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / 1000;
    default: return now;
  }
}

const durationUnits = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds of a Go duration as the API accepts it (30s, 1h30m, 2d); NaN when unreadable. */
export function durationSeconds(text) {
  if (!text) return NaN;
  let total = 0;
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g;
  let consumed = 0;
  let match;
  while ((match = pattern.exec(text)) !== null) {
    total += Number(match[1]) * durationUnits[match[2]];
    consumed += match[0].length;
  }
  return consumed === text.length ? total : NaN;
}

/** active, revoked or expired (revoked for reason "expired", or past its ttl). */
export function keyState(key, now) {
  if (key.revoked) return key.revokedReason === 'expired' ? 'expired' : 'revoked';
  const ttl = durationSeconds(key.ttl);
  if (!Number.isNaN(ttl) && key.createdAt + ttl <= now) return 'expired';
  return 'active';
}

/**
 * Current spend and request counts of `keys` against their limits: total spend (all time), spend
 * in the current cost window, requests in the current rate window. A few calls for a whole page.
 */
export async function keyUsage(keys, now) {
  const ids = keys.map((k) => k.keyId);
  const usage = new Map(ids.map((id) => [id, { total: 0, windowCost: 0, windowRequests: 0 }]));
  if (ids.length === 0) return usage;
  const calls = [post('/api/reporting/top-keys', { keyIds: ids, start: 1, end: now + 1, limit: 0 }).then((r) => {
    for (const p of r.dataPoints) if (usage.has(p.keyId)) usage.get(p.keyId).total = p.costInUsd;
  })];
  for (const unit of new Set(keys.filter((k) => k.costLimitInUsdOverTime > 0).map((k) => k.costLimitInUsdUnit))) {
    const keyIds = keys.filter((k) => k.costLimitInUsdOverTime > 0 && k.costLimitInUsdUnit === unit).map((k) => k.keyId);
    calls.push(post('/api/reporting/top-keys', { keyIds, start: windowStart(unit, now), end: now + 1, limit: 0 }).then((r) => {
      for (const p of r.dataPoints) if (usage.has(p.keyId)) usage.get(p.keyId).windowCost = p.costInUsd;
    }));
  }
  for (const unit of new Set(keys.filter((k) => k.rateLimitOverTime > 0).map((k) => k.rateLimitUnit))) {
    const keyIds = keys.filter((k) => k.rateLimitOverTime > 0 && k.rateLimitUnit === unit).map((k) => k.keyId);
    const start = windowStart(unit, now);
    calls.push(post('/api/reporting/events', { keyIds, start, end: now + 1, increment: now + 1 - start, filters: ['keyId'] }).then((r) => {
      for (const p of r.dataPoints) if (usage.has(p.keyId)) usage.get(p.keyId).windowRequests += p.numberOfRequests;
    }));
  }
  await Promise.all(calls);
  return usage;
}
