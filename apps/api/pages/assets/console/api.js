// The console's way to the REST API: the session cookie exchanged for a short-lived bearer token
// (see /pages/session.js), every call `/v1/...` with it, and one way to show the API's errors.
import { ApiError, PageSession } from '/pages/session.js';
import { html, useCallback, useEffect, useRef, useState } from './preact.js';

export { ApiError };

/** The console's page session (cookie path /admin). */
export const session = new PageSession('/admin/session/token');

/** `api.get('/admin/orders?q=…')` etc.: paths are under /v1; throws ApiError on a non-2xx. */
export const api = {
  get: (path) => session.api('GET', path),
  post: (path, body) => session.api('POST', path, body),
  put: (path, body) => session.api('PUT', path, body),
  patch: (path, body) => session.api('PATCH', path, body),
  delete: (path) => session.api('DELETE', path),
};

/** `/v1` path pieces escaped: api.get(`/admin/orders/${q(id)}`). */
export const q = (value) => encodeURIComponent(String(value));

/**
 * A GET read when `path` changes (null: nothing to read). `reload()` reads it again; `data` keeps
 * the last good answer while reloading, `error` is the last ApiError (shown with <ErrorNotice>).
 */
export function useApi(path) {
  const [state, setState] = useState({ data: undefined, error: null, loading: !!path });
  const latest = useRef(path);
  const reload = useCallback(async () => {
    if (!path) return;
    latest.current = path;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await api.get(path);
      if (latest.current === path) setState({ data, error: null, loading: false });
    } catch (error) {
      if (latest.current === path) setState((s) => ({ ...s, error, loading: false }));
    }
  }, [path]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { ...state, reload };
}

/**
 * Runs an action (a POST…), tracking `busy` and the last error: `const [run, busy, error] =
 * useAction(); run(() => api.post(...)).then(...)`. The promise resolves to undefined on error.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = useCallback(async (fn) => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return [run, busy, error, setError];
}

/** The one display of an API error: its message, its code, the request id to quote. */
export function ErrorNotice({ error }) {
  if (!error) return null;
  const apiError = error instanceof ApiError;
  return html`<p class="error" role="alert">
    ${apiError ? html`<code class="code">${error.code}</code> ` : null}${error.message}
    ${
      apiError && error.requestId
        ? html` <small class="muted">(request ${error.requestId})</small>`
        : null
    }
  </p>`;
}
