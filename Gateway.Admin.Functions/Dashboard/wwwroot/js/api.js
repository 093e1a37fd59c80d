// The admin API, called with the session cookie (sent by the browser) and, on every
// state-changing call, the session's CSRF token. The same endpoints scripts call with X-API-KEY.
let csrfToken = '';

export function setCsrfToken(token) { csrfToken = token || ''; }

/** An admin API error: the problem+json body, and its `detail` split into per-field messages. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.fields = fieldMessages(problem && problem.detail);
  }
}

// The admin API lists every problem in `detail` as "<field> <message>", joined by "; ".
export function fieldMessages(detail) {
  const result = [];
  if (!detail) return result;
  for (const part of String(detail).split('; ')) {
    const match = /^([A-Za-z_][\w.[\]]*)[ :](.*)$/.exec(part);
    result.push(match ? { field: match[1], message: part } : { field: '', message: part });
  }
  return result;
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-TOKEN'] = csrfToken;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text }; }
  }
  if (response.status === 401 && !path.startsWith('/api/dashboard/session')) {
    window.dispatchEvent(new CustomEvent('gateway:signed-out'));
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});

/** Runs `tasks` (functions returning promises) at most `limit` at a time, keeping order. */
export async function pooled(tasks, limit = 4) {
  const results = new Array(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
