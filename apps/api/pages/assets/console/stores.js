// Stores: each dark store's settings — delivery radius, capacity (orders in the store at once),
// opening hours, active, and the manual "closed now" that stops new orders at once.
import { api, ErrorNotice, q, useAction, useApi } from './api.js';
import { Field, fieldErrors, FormError, toInteger, useOpeningFocus } from './field-errors.js';
import { mountConsole, PageHead } from './layout.js';
import { html, useState } from './preact.js';

const FIELDS = [
  'name',
  'serviceRadiusM',
  'maxOpenOrders',
  'opensAt',
  'closesAt',
  'timezone',
  'active',
  'closedNow',
];
const hhmm = (time) => (time ?? '').slice(0, 5);
const hours = (s) =>
  hhmm(s.opensAt) === hhmm(s.closesAt)
    ? 'around the clock'
    : `${hhmm(s.opensAt)}–${hhmm(s.closesAt)}`;

function StoreForm({ store, onSaved, onCancel }) {
  const opening = useOpeningFocus();
  const [run, busy, error] = useAction();
  const errors = fieldErrors(error, FIELDS);
  const submit = async (event) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const saved = await run(() =>
      api.patch(`/admin/stores/${q(store.id)}`, {
        name: f.get('name'),
        serviceRadiusM: toInteger(f.get('serviceRadiusM')),
        maxOpenOrders: toInteger(f.get('maxOpenOrders')),
        opensAt: f.get('opensAt'),
        closesAt: f.get('closesAt'),
        timezone: f.get('timezone'),
        active: f.get('active') === 'on',
      }),
    );
    if (saved) onSaved(saved);
  };
  return html`<form
    ref=${opening}
    class="panel form"
    onSubmit=${submit}
    aria-label=${`Settings of ${store.name}`}
  >
    <h2>${store.name} <small class="muted mono">${store.code}</small></h2>
    <div class="form-grid">
      <${Field} name="name" label="Name" errors=${errors}>
        <input id="f-name" name="name" required maxlength="100" value=${store.name} />
      <//>
      <${Field} name="serviceRadiusM" label="Delivery radius (m)" errors=${errors}>
        <input
          id="f-serviceRadiusM"
          name="serviceRadiusM"
          required
          inputmode="numeric"
          value=${store.serviceRadiusM}
        />
      <//>
      <${Field}
        name="maxOpenOrders"
        label="Capacity (orders being packed at once)"
        errors=${errors}
      >
        <input
          id="f-maxOpenOrders"
          name="maxOpenOrders"
          required
          inputmode="numeric"
          value=${store.maxOpenOrders}
        />
      <//>
      <${Field} name="timezone" label="Time zone" errors=${errors}>
        <input id="f-timezone" name="timezone" required maxlength="64" value=${store.timezone} />
      <//>
      <${Field}
        name="opensAt"
        label="Opens"
        errors=${errors}
        hint="Same as closes: around the clock"
      >
        <input id="f-opensAt" name="opensAt" type="time" required value=${hhmm(store.opensAt)} />
      <//>
      <${Field} name="closesAt" label="Closes" errors=${errors}>
        <input id="f-closesAt" name="closesAt" type="time" required value=${hhmm(store.closesAt)} />
      <//>
      <${Field} name="active" label="Active (riders work, orders possible)" errors=${errors}>
        <input id="f-active" name="active" type="checkbox" checked=${store.active} />
      <//>
    </div>
    <${FormError} errors=${errors} />
    <div class="row">
      <button type="submit" class="primary" disabled=${busy}>Save settings</button>
      <button type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

function StoresPage() {
  const list = useApi('/admin/stores');
  const [editing, setEditing] = useState(null);
  const [notice, setNotice] = useState('');
  const [run, busy, error] = useAction();
  const toggleClosed = async (s) => {
    const saved = await run(() =>
      api.patch(`/admin/stores/${q(s.id)}`, { closedNow: !s.closedNow }),
    );
    if (saved) {
      setNotice(
        saved.closedNow
          ? `${saved.name} is closed now: no new orders.`
          : `${saved.name} takes orders again.`,
      );
      list.reload();
    }
  };
  return html`<${PageHead} title="Stores" />
    <${ErrorNotice} error=${list.error || error} />
    <p class="notice" role="status">${notice}</p>
    <section class="panel" aria-label="Stores">
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th>Store</th>
              <th class="num">Radius</th>
              <th class="num">Capacity</th>
              <th>Hours</th>
              <th>Now</th>
              <th><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${(list.data ?? []).map(
              (s) =>
                html`<tr key=${s.id} data-store=${s.id}>
                  <td>${s.name} <small class="muted mono">${s.code}</small></td>
                  <td class="num">${(s.serviceRadiusM / 1000).toFixed(1)} km</td>
                  <td class="num">${s.maxOpenOrders}</td>
                  <td>${hours(s)} <small class="muted">${s.timezone}</small></td>
                  <td>
                    ${
                      !s.active
                        ? html`<span class="badge" data-status="CANCELLED">Inactive</span>`
                        : s.closedNow
                          ? html`<span class="badge late">Closed now</span>`
                          : html`<span class="badge" data-status="DELIVERED">Open by hours</span>`
                    }
                  </td>
                  <td class="actions">
                    <button
                      type="button"
                      onClick=${() => setEditing(s)}
                      aria-label=${`Settings of ${s.name}`}
                    >
                      Settings
                    </button>
                    <button
                      type="button"
                      class=${s.closedNow ? 'primary' : 'danger'}
                      disabled=${busy}
                      onClick=${() => toggleClosed(s)}
                      aria-label=${`${s.closedNow ? 'Open' : 'Close'} ${s.name} now`}
                    >
                      ${s.closedNow ? 'Open again' : 'Close now'}
                    </button>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>
    ${
      editing
        ? html`<${StoreForm}
            key=${editing.id}
            store=${editing}
            onCancel=${() => setEditing(null)}
            onSaved=${(s) => {
              setEditing(null);
              setNotice(`Saved ${s.name}.`);
              list.reload();
            }}
          />`
        : null
    }`;
}

mountConsole({ section: 'stores', page: StoresPage });
