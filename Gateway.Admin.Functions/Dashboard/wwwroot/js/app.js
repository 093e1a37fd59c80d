// The dashboard shell: sign-in, sign-out, and a hash router over the pages.
import { ApiError, api, setCsrfToken } from './api.js';
import { clear, errorBox, h } from './ui.js';
import { renderOverview } from './overview.js';
import { renderKeys } from './keys.js';
import { renderProviders } from './providers.js';
import { renderEvents } from './events.js';

const pages = { overview: renderOverview, keys: renderKeys, providers: renderProviders, events: renderEvents };
const signin = document.getElementById('signin');
const shell = document.getElementById('shell');
const view = document.getElementById('view');
let renderToken = 0;

function showSignIn(message) {
  setCsrfToken('');
  shell.hidden = true;
  signin.hidden = false;
  clear(view);
  document.getElementById('signin-error').textContent = message || '';
  document.getElementById('signin-secret').focus();
}

function showShell(session) {
  setCsrfToken(session.csrfToken);
  signin.hidden = true;
  shell.hidden = false;
  document.getElementById('signout').hidden = Boolean(session.loopbackOnly);
  route();
}

async function route() {
  if (shell.hidden) return;
  const name = (location.hash.replace(/^#\/?/, '').split('?')[0]) || 'overview';
  const page = pages[name] ? name : 'overview';
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.nav === page);
  const token = ++renderToken;
  clear(view);
  const container = h('div', { 'data-page': page });
  view.append(container);
  try {
    await pages[page](container, () => token === renderToken);
  } catch (error) {
    if (token === renderToken && !(error instanceof ApiError && error.status === 401)) container.append(errorBox(error));
  }
}

document.getElementById('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('signin-secret');
  try {
    const session = await api('POST', '/api/dashboard/session', { secret: input.value });
    input.value = '';
    showShell(session);
  } catch (error) {
    input.value = '';
    showSignIn(error instanceof ApiError && error.status === 401 ? 'The admin secret is not correct.' : error.message);
  }
});

document.getElementById('signout').addEventListener('click', async () => {
  try { await api('DELETE', '/api/dashboard/session'); } finally { showSignIn('Signed out.'); }
});

window.addEventListener('hashchange', route);
window.addEventListener('gateway:signed-out', () => showSignIn('Your session has ended; please sign in again.'));

(async () => {
  try {
    const session = await api('GET', '/api/dashboard/session');
    if (session.signedIn) showShell(session); else showSignIn('');
  } catch (error) {
    showSignIn(error.message);
  }
})();
