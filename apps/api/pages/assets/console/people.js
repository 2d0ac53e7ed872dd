// People: find users by email, name or phone; change a role; disable (which ends their sessions
// and tokens at once) or enable; and the riders of a store with their shift state and load.
import { api, ErrorNotice, q, useAction, useApi } from './api.js';
import { dateTime } from './format.js';
import { mountConsole, PageHead } from './layout.js';
import { html, useState } from './preact.js';
import { StorePicker, useStoreChoice } from './store-picker.js';

const ROLES = ['customer', 'rider', 'admin'];
const RIDER_STATES = { AVAILABLE: 'Available', BUSY: 'Busy', OFF_DUTY: 'Off shift' };

function UserRow({ user, onChanged }) {
  const [role, setRole] = useState(user.role);
  const [confirming, setConfirming] = useState(false);
  const [run, busy, error] = useAction();
  const change = async (body, what) => {
    const saved = await run(() => api.patch(`/admin/users/${q(user.id)}`, body));
    setConfirming(false);
    if (saved) onChanged(saved, what);
  };
  return html`<tr data-user=${user.id}>
    <td>
      ${user.name}<br /><small class="muted">${user.email}</small>
      ${user.phone ? html`<br /><small class="muted">${user.phone}</small>` : null}
    </td>
    <td>
      <label class="sr-only" for=${`role-${user.id}`}>Role of ${user.name}</label>
      <select
        id=${`role-${user.id}`}
        value=${role}
        onChange=${(e) => setRole(e.currentTarget.value)}
      >
        ${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}
      </select>
      ${
        role !== user.role
          ? html` <button
              type="button"
              disabled=${busy}
              onClick=${() => change({ role }, `now ${role}`)}
            >
              Change role
            </button>`
          : null
      }
    </td>
    <td>
      ${user.disabled ? html`<span class="badge late">Disabled</span>` : html`<span class="badge" data-status="DELIVERED">Active</span>`}
    </td>
    <td class="actions">
      ${
        user.disabled
          ? html`<button
              type="button"
              disabled=${busy}
              onClick=${() => change({ disabled: false }, 'enabled')}
              aria-label=${`Enable ${user.email}`}
            >
              Enable
            </button>`
          : confirming
            ? html`<button
                  type="button"
                  class="danger"
                  disabled=${busy}
                  onClick=${() => change({ disabled: true }, 'disabled: signed out everywhere')}
                  aria-label=${`Confirm disabling ${user.email}`}
                >
                  Really disable
                </button>
                <button type="button" onClick=${() => setConfirming(false)}>Keep</button>`
            : html`<button
                type="button"
                class="danger"
                onClick=${() => setConfirming(true)}
                aria-label=${`Disable ${user.email}`}
              >
                Disable
              </button>`
      }
      <${ErrorNotice} error=${error} />
    </td>
  </tr>`;
}

function Users() {
  const [draft, setDraft] = useState({ q: '', role: '' });
  const [search, setSearch] = useState({ q: '', role: '' });
  const [cursor, setCursor] = useState(null);
  const [notice, setNotice] = useState('');
  const params = new URLSearchParams({ limit: '25' });
  if (search.q) params.set('q', search.q);
  if (search.role) params.set('role', search.role);
  if (cursor) params.set('cursor', cursor);
  const list = useApi(`/admin/users?${params}`);
  return html`<section class="panel" aria-labelledby="users-h">
    <h2 id="users-h">Users</h2>
    <form
      class="search"
      role="search"
      onSubmit=${(e) => {
        e.preventDefault();
        setCursor(null);
        setSearch({ q: draft.q.trim(), role: draft.role });
      }}
    >
      <label class="sr-only" for="user-search">Email, name or phone</label>
      <input
        id="user-search"
        type="search"
        maxlength="100"
        placeholder="Email, name or phone"
        value=${draft.q}
        onInput=${(e) => setDraft({ ...draft, q: e.currentTarget.value })}
      />
      <label class="sr-only" for="user-role">Role</label>
      <select
        id="user-role"
        value=${draft.role}
        onChange=${(e) => setDraft({ ...draft, role: e.currentTarget.value })}
      >
        <option value="">Any role</option>
        ${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}
      </select>
      <button type="submit" class="primary">Find</button>
    </form>
    <p class="notice" role="status">${notice}</p>
    <${ErrorNotice} error=${list.error} />
    <div class="table-wrap">
      <table class="data" aria-busy=${list.loading ? 'true' : 'false'}>
        <thead>
          <tr>
            <th>Person</th>
            <th>Role</th>
            <th>State</th>
            <th><span class="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${(list.data?.items ?? []).map(
            (u) =>
              html`<${UserRow}
                key=${`${u.id}-${u.role}-${u.disabled}`}
                user=${u}
                onChanged=${(saved, what) => {
                  setNotice(`${saved.email}: ${what}.`);
                  list.reload();
                }}
              />`,
          )}
        </tbody>
      </table>
    </div>
    <div class="row">
      ${cursor ? html`<button type="button" onClick=${() => setCursor(null)}>First page</button>` : null}
      ${list.data?.nextCursor ? html`<button type="button" onClick=${() => setCursor(list.data.nextCursor)}>Next page</button>` : null}
    </div>
  </section>`;
}

function Riders() {
  const stores = useApi('/admin/stores');
  const [storeId, setStoreId] = useStoreChoice(stores.data);
  const riders = useApi(storeId ? `/admin/stores/${q(storeId)}/riders` : null);
  return html`<section class="panel" aria-labelledby="riders-h">
    <div class="page-head">
      <h2 id="riders-h">Riders</h2>
      <${StorePicker}
        stores=${stores.data}
        value=${storeId}
        onChange=${setStoreId}
        id="rider-store"
      />
    </div>
    <${ErrorNotice} error=${stores.error || riders.error} />
    <div class="table-wrap">
      <table class="data">
        <thead>
          <tr>
            <th>Rider</th>
            <th>Shift</th>
            <th class="num">Load</th>
            <th>Since</th>
          </tr>
        </thead>
        <tbody>
          ${(riders.data ?? []).map(
            (r) =>
              html`<tr key=${r.riderId} data-rider=${r.riderId}>
                <td>${r.name}</td>
                <td>
                  <span
                    class=${r.state === 'AVAILABLE' ? 'badge' : 'badge late'}
                    data-status=${r.state === 'AVAILABLE' ? 'DELIVERED' : undefined}
                    >${RIDER_STATES[r.state] ?? r.state}</span
                  >
                </td>
                <td class="num">${r.load} / ${r.maxLoad}</td>
                <td>${r.since ? dateTime(r.since) : ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${riders.data && !riders.data.length ? html`<p class="muted">No riders at this store.</p>` : null}
  </section>`;
}

function PeoplePage() {
  return html`<${PageHead} title="People" />
    <div class="split">
      <${Users} />
      <${Riders} />
    </div>`;
}

mountConsole({ section: 'people', page: PeoplePage });
