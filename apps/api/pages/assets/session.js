// The page's way to the REST API and the tracking socket. The HttpOnly session cookie never
// reaches the API: it is exchanged (same-origin POST) for a short-lived access token that this
// module keeps in memory only and sends as a bearer token.
import { io } from '/pages/vendor/socket.io.esm.min.js';

/** An error answer of the REST API, in its one error shape. */
export class ApiError extends Error {
  constructor(status, body) {
    const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
    super(message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.code || `HTTP_${status}`;
    this.requestId = body?.requestId;
  }
}

export function signInAgain() {
  const next = location.pathname + location.search;
  location.assign(`/admin/login?next=${encodeURIComponent(next)}`);
}

export class PageSession {
  /** @param {string} tokenPath the token endpoint under this page's cookie path */
  constructor(tokenPath) {
    this.tokenPath = tokenPath;
    this.current = null;
    this.pending = null;
    this.user = null;
  }

  /** A valid access token, fetched again shortly before it expires; signs in again when gone. */
  async token(force = false) {
    if (!force && this.current && Date.now() < this.current.renewAt) return this.current.token;
    this.pending ??= this.fetchToken().finally(() => (this.pending = null));
    return this.pending;
  }

  async fetchToken() {
    const res = await fetch(this.tokenPath, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (res.status === 401 || res.status === 403) {
      this.current = null;
      signInAgain();
      throw new ApiError(res.status, await res.json().catch(() => ({})));
    }
    if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
    const body = await res.json();
    this.user = body.user;
    const lifetime = body.expiresIn * 1000;
    this.current = { token: body.accessToken, renewAt: Date.now() + lifetime * 0.8 };
    return body.accessToken;
  }

  /** A REST call (bearer-only); throws ApiError with the API's code and message. */
  async api(method, path, body) {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(attempt > 0);
      const res = await fetch(`/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      // A token refused mid-life (session revoked): one fresh token, then sign in again.
      if (res.status === 401 && attempt === 0) continue;
      const text = await res.text();
      const parsed = text ? JSON.parse(text) : undefined;
      if (!res.ok) throw new ApiError(res.status, parsed);
      return parsed;
    }
  }

  /**
   * The /tracking socket with this session's token, re-fetched for every (re)connection. The
   * server disconnects a socket when its token expires or its session ends: it reconnects with
   * a fresh token (or the page is sent to sign in).
   */
  socket({ onConnect, onStatus }) {
    const socket = io('/tracking', {
      transports: ['websocket'],
      auth: (cb) =>
        this.token().then(
          (token) => cb({ token }),
          () => cb({ token: '' }),
        ),
    });
    let retry = 500;
    socket.on('connect', () => {
      retry = 500;
      onStatus('live');
      onConnect(socket);
    });
    socket.on('disconnect', (reason) => {
      onStatus('offline');
      if (reason === 'io server disconnect') {
        this.current = null;
        setTimeout(() => socket.connect(), 200);
      }
    });
    socket.on('connect_error', () => {
      onStatus('offline');
      // A refused handshake is not retried by socket.io itself: a fresh token, then again.
      if (!socket.active) {
        this.current = null;
        setTimeout(() => socket.connect(), retry);
        retry = Math.min(retry * 2, 10_000);
      }
    });
    return socket;
  }
}

/** Shows an error for a while (the API's code and message). */
export function toast(message, code) {
  const box = document.getElementById('toasts');
  const item = document.createElement('div');
  item.className = 'toast';
  if (code) {
    const c = document.createElement('code');
    c.textContent = code;
    item.append(c, ' ');
  }
  item.append(message);
  box.append(item);
  setTimeout(() => item.remove(), 8000);
}

export function setLive(state) {
  const pill = document.getElementById('live');
  pill.dataset.state = state;
  pill.textContent = state === 'live' ? 'live' : state === 'offline' ? 'reconnecting…' : state;
}

export const shortId = (id) => id.slice(0, 8);

const rupees = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });
export const formatMoney = (m) =>
  m.currency === 'INR'
    ? rupees.format(m.amount / 100)
    : `${(m.amount / 100).toFixed(2)} ${m.currency}`;

/** "4:05" or "1:02:03" for a duration in ms (absolute). */
export function clock(ms) {
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export const timeOfDay = (iso) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Element helper: el('li', { class: 'x', dataset: { id } }, child, 'text'). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}
