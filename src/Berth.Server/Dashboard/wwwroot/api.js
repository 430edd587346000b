// The dashboard's calls: the API through /ui/api/v1 (the session cookie stands for the token), with the session's
// CSRF token on every change. An answer that is not 2xx becomes an Error carrying the server's message.
export const session = { info: null };

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function call(method, url, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.info) headers['X-Berth-CSRF'] = session.info.csrf;
  const response = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try { message = JSON.parse(text).error || message; } catch { /* not JSON */ }
    if (response.status === 401) window.dispatchEvent(new CustomEvent('berth:signed-out', { detail: message }));
    throw new ApiError(response.status, message);
  }
  if (!text) return null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('ndjson')) return text.split('\n').filter(Boolean).map(line => JSON.parse(line));
  return JSON.parse(text);
}

export const api = {
  get: path => call('GET', '/ui/api/v1' + path),
  post: (path, body) => call('POST', '/ui/api/v1' + path, body ?? {}),
  overview: () => call('GET', '/ui/overview'),
  session: () => call('GET', '/ui/session'),
  signIn: token => call('POST', '/ui/session', { token }),
  signOut: () => call('DELETE', '/ui/session'),
};

export const enc = encodeURIComponent;
