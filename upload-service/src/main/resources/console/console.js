// The console's entry: the login form until a session exists, then the view the URL's hash names.

import { login, logout, signedInUser, whenSignedOut } from './api.js';
import { h, replace } from './dom.js';
import * as views from './views.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
let leaving = new AbortController();

const routes = [
  [/^#\/apps\/([^/]+)\/([^/]+)$/, views.app],
  [/^#\/pushes\/([^/]+)$/, views.push],
  [/^#\/webhooks\/([^/]+)$/, views.deliveries],
  [/^#\/webhooks$/, views.webhooks],
];

function showLogin(message) {
  leaving.abort();
  nav.hidden = true;
  const form = document.getElementById('login-form').content.firstElementChild.cloneNode(true);
  const error = form.querySelector('.error');
  error.textContent = message ?? '';
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    const fields = new FormData(form);
    error.textContent = '';
    try {
      await login(String(fields.get('username')), String(fields.get('password')));
      show();
    } catch (failed) {
      error.textContent = failed.message;
    }
  });
  replace(main, form);
}

async function show() {
  leaving.abort();
  leaving = new AbortController();
  const user = signedInUser();
  if (!user) {
    showLogin();
    return;
  }
  nav.hidden = false;
  document.getElementById('who').textContent = user;
  const hash = location.hash || '#/apps';
  const signal = leaving.signal;
  for (const [pattern, view] of routes) {
    const match = hash.match(pattern);
    if (match) {
      return render(() => view(main, signal, ...match.slice(1).map(decodeURIComponent)), signal);
    }
  }
  return render(() => views.apps(main, signal), signal);
}

async function render(view, signal) {
  try {
    await view();
  } catch (error) {
    if (!signal.aborted && signedInUser()) {
      main.append(views.errorBox(error));
    }
  }
}

whenSignedOut(() => showLogin('Your session ended: log in again.'));
document.getElementById('logout').addEventListener('click', async () => {
  try {
    await logout();
  } finally {
    showLogin('Logged out.');
  }
});
window.addEventListener('hashchange', show);
show();
