// The API as the console calls it: same origin, the session cookie, JSON bodies and, on anything
// that changes state, the anti-forgery header with the token that login answered.

const CSRF = 'slipway.csrf';
const USER = 'slipway.user';

export class ApiError extends Error {
  constructor(status, title, details) {
    super(details ? `${title}: ${details}` : title);
    this.status = status;
  }
}

let onSignedOut = () => {};

/** Called whenever the API no longer knows the session (401), to show the login form. */
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

export function signedInUser() {
  return sessionStorage.getItem(CSRF) ? sessionStorage.getItem(USER) : null;
}

export async function login(username, password) {
  const answer = await call('POST', '/api/v1/login', { username, password });
  sessionStorage.setItem(CSRF, answer.csrfToken);
  sessionStorage.setItem(USER, answer.username);
  return answer.username;
}

export async function logout() {
  try {
    await call('POST', '/api/v1/logout', {});
  } finally {
    forget();
  }
}

function forget() {
  sessionStorage.removeItem(CSRF);
  sessionStorage.removeItem(USER);
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body ?? {});

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', redirect: 'error' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-Slipway-Csrf'] = sessionStorage.getItem(CSRF) ?? '';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    throw await failure(response, path);
  }
  return response.status === 204 ? null : response.json();
}

async function failure(response, path) {
  let title = `HTTP ${response.status}`;
  let details = '';
  try {
    const error = (await response.json()).errors?.[0];
    title = error?.title ?? title;
    details = error?.details ?? '';
  } catch {
    // not the API's JSON error (a proxy's page): the status says enough
  }
  if (response.status === 401 && path !== '/api/v1/login') {
    forget();
    onSignedOut();
  }
  return new ApiError(response.status, title, details);
}

/**
 * Follows a push's Server-Sent Events: every event so far, then each new one, until the server ends
 * the stream (the push ended) or {@code signal} aborts. Read with fetch rather than EventSource,
 * which would reconnect on its own after the end and replay everything again.
 */
export async function followPush(pushId, onEvent, signal) {
  const response = await fetch(`/api/v1/pushes/${encodeURIComponent(pushId)}/events`, {
    headers: { Accept: 'text/event-stream' }, credentials: 'same-origin', cache: 'no-store', signal,
  });
  if (!response.ok) {
    throw await failure(response, 'events');
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      if (line === '') {
        if (data.length > 0) {
          onEvent(JSON.parse(data.join('\n')));
        }
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
      // "event:", "id:" and ":" heartbeats: the event's JSON carries its type and id
    }
  }
}
