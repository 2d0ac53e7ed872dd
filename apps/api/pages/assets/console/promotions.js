// Promotions: the list with what each has given, create, edit, pause/resume, and a promotion's
// usage. Everything through /v1/admin/promotions with the page's bearer token.
import { api, ErrorNotice, q, useAction, useApi } from './api.js';
import {
  Field,
  fieldErrors,
  FormError,
  fromBasisPoints,
  fromMinor,
  toBasisPoints,
  toInteger,
  toMinor,
  useOpeningFocus,
} from './field-errors.js';
import { dateTime, formatMoney, shortId } from './format.js';
import { mountConsole, PageHead } from './layout.js';
import { html, useState } from './preact.js';

const FIELDS = [
  'code',
  'name',
  'kind',
  'percentBp',
  'maxDiscountMinor',
  'amountMinor',
  'buyQuantity',
  'freeQuantity',
  'minBasketMinor',
  'startsAt',
  'endsAt',
  'firstOrderOnly',
  'perCustomerLimit',
  'usageLimit',
  'paused',
];
const KINDS = [
  ['percent', 'Percent off'],
  ['flat', 'Amount off'],
  ['free_delivery', 'Free delivery'],
  ['buy_x_get_y', 'Buy X get Y free'],
];
const kindLabel = (kind) => KINDS.find(([k]) => k === kind)?.[1] ?? kind;
const inr = (minor) => formatMoney({ amount: minor, currency: 'INR' });

/** What a promotion gives, in words. */
function describe(p) {
  switch (p.kind) {
    case 'percent':
      return `${fromBasisPoints(p.percentBp)} % off${p.maxDiscountMinor ? `, up to ${inr(p.maxDiscountMinor)}` : ''}`;
    case 'flat':
      return `${inr(p.amountMinor)} off`;
    case 'free_delivery':
      return 'Free delivery';
    default:
      return `Buy ${p.buyQuantity} get ${p.freeQuantity} free`;
  }
}

/** A datetime-local value (the browser's time zone) ↔ an ISO instant. */
const toLocalInput = (iso) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (text) => {
  if (!text) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
};

function PromotionForm({ promotion, onSaved, onCancel }) {
  const opening = useOpeningFocus();
  const editing = !!promotion.id;
  const [kind, setKind] = useState(promotion.kind ?? 'percent');
  const [run, busy, error] = useAction();
  const errors = fieldErrors(error, FIELDS);
  const submit = async (event) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const opt = (name, convert) => {
      const raw = String(f.get(name) ?? '').trim();
      return raw === '' ? (editing ? null : undefined) : convert(raw);
    };
    const body = {
      code: opt('code', (s) => s),
      name: f.get('name'),
      kind,
      minBasketMinor: opt('minBasket', toMinor),
      startsAt: fromLocalInput(f.get('startsAt')),
      endsAt: fromLocalInput(f.get('endsAt')),
      firstOrderOnly: f.get('firstOrderOnly') === 'on',
      perCustomerLimit: opt('perCustomerLimit', toInteger),
      usageLimit: opt('usageLimit', toInteger),
    };
    if (kind === 'percent') {
      body.percentBp = toBasisPoints(f.get('percent'));
      body.maxDiscountMinor = opt('maxDiscount', toMinor);
    }
    if (kind === 'flat') body.amountMinor = toMinor(f.get('amount'));
    if (kind === 'buy_x_get_y') {
      body.buyQuantity = toInteger(f.get('buyQuantity'));
      body.freeQuantity = toInteger(f.get('freeQuantity'));
    }
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    const saved = await run(() =>
      editing
        ? api.patch(`/admin/promotions/${q(promotion.id)}`, body)
        : api.post('/admin/promotions', body),
    );
    if (saved) onSaved(saved);
  };
  const v = (x) => x ?? '';
  return html`<form
    ref=${opening}
    class="panel form"
    onSubmit=${submit}
    aria-label=${editing ? 'Edit promotion' : 'New promotion'}
  >
    <h2>${editing ? `Edit ${promotion.name}` : 'New promotion'}</h2>
    <div class="form-grid">
      <${Field} name="name" label="Name" errors=${errors}>
        <input id="f-name" name="name" required maxlength="100" value=${v(promotion.name)} />
      <//>
      <${Field}
        name="code"
        label="Code"
        errors=${errors}
        hint="What the customer types; empty: applied automatically"
      >
        <input
          id="f-code"
          name="code"
          maxlength="32"
          autocomplete="off"
          value=${v(promotion.code)}
        />
      <//>
      <${Field} name="kind" label="Kind" errors=${errors}>
        <select
          id="f-kind"
          name="kind"
          value=${kind}
          onChange=${(e) => setKind(e.currentTarget.value)}
        >
          ${KINDS.map(([k, label]) => html`<option value=${k}>${label}</option>`)}
        </select>
      <//>
      ${
        kind === 'percent'
          ? html`<${Field} name="percentBp" id="f-percent" label="Percent off" errors=${errors}>
                <input
                  id="f-percent"
                  name="percent"
                  required
                  inputmode="decimal"
                  value=${fromBasisPoints(promotion.percentBp)}
                />
              <//>
              <${Field}
                name="maxDiscountMinor"
                id="f-maxDiscount"
                label="At most (₹)"
                errors=${errors}
              >
                <input
                  id="f-maxDiscount"
                  name="maxDiscount"
                  inputmode="decimal"
                  value=${fromMinor(promotion.maxDiscountMinor)}
                />
              <//>`
          : null
      }
      ${
        kind === 'flat'
          ? html`<${Field} name="amountMinor" id="f-amount" label="Amount off (₹)" errors=${errors}>
              <input
                id="f-amount"
                name="amount"
                required
                inputmode="decimal"
                value=${fromMinor(promotion.amountMinor)}
              />
            <//>`
          : null
      }
      ${
        kind === 'buy_x_get_y'
          ? html`<${Field} name="buyQuantity" label="Buy" errors=${errors}>
                <input
                  id="f-buyQuantity"
                  name="buyQuantity"
                  required
                  inputmode="numeric"
                  value=${v(promotion.buyQuantity)}
                />
              <//>
              <${Field} name="freeQuantity" label="Get free" errors=${errors}>
                <input
                  id="f-freeQuantity"
                  name="freeQuantity"
                  required
                  inputmode="numeric"
                  value=${v(promotion.freeQuantity)}
                />
              <//>`
          : null
      }
      <${Field} name="minBasketMinor" id="f-minBasket" label="Smallest basket (₹)" errors=${errors}>
        <input
          id="f-minBasket"
          name="minBasket"
          inputmode="decimal"
          value=${fromMinor(promotion.minBasketMinor)}
        />
      <//>
      <${Field} name="usageLimit" label="Uses in all" errors=${errors}>
        <input
          id="f-usageLimit"
          name="usageLimit"
          inputmode="numeric"
          value=${v(promotion.usageLimit)}
        />
      <//>
      <${Field} name="perCustomerLimit" label="Uses per customer" errors=${errors}>
        <input
          id="f-perCustomerLimit"
          name="perCustomerLimit"
          inputmode="numeric"
          value=${v(promotion.perCustomerLimit)}
        />
      <//>
      <${Field} name="startsAt" label="Starts" errors=${errors}>
        <input
          id="f-startsAt"
          name="startsAt"
          type="datetime-local"
          value=${toLocalInput(promotion.startsAt)}
        />
      <//>
      <${Field} name="endsAt" label="Ends" errors=${errors}>
        <input
          id="f-endsAt"
          name="endsAt"
          type="datetime-local"
          value=${toLocalInput(promotion.endsAt)}
        />
      <//>
      <${Field} name="firstOrderOnly" label="First order only" errors=${errors}>
        <input
          id="f-firstOrderOnly"
          name="firstOrderOnly"
          type="checkbox"
          checked=${!!promotion.firstOrderOnly}
        />
      <//>
    </div>
    <${FormError} errors=${errors} />
    <div class="row">
      <button type="submit" class="primary" disabled=${busy}>
        ${editing ? 'Save promotion' : 'Create promotion'}
      </button>
      <button type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

function Usage({ promotion }) {
  const usage = useApi(`/admin/promotions/${q(promotion.id)}/usage`);
  const u = usage.data;
  return html`<section class="panel" aria-labelledby="usage-h">
    <h2 id="usage-h">Usage: ${promotion.name}</h2>
    <${ErrorNotice} error=${usage.error} />
    ${
      u
        ? html`<dl class="facts">
              <dt>Used</dt>
              <dd>
                ${u.promotion.used}${u.promotion.usageLimit ? ` of ${u.promotion.usageLimit}` : ''}
              </dd>
              <dt>Given back</dt>
              <dd>${u.released}</dd>
              <dt>Discount given</dt>
              <dd>${formatMoney(u.discountGiven)}</dd>
            </dl>
            <div class="table-wrap">
              <table class="data" aria-label="Recent redemptions">
                <thead>
                  <tr>
                    <th>Order</th>
                    <th>When</th>
                    <th class="num">Discount</th>
                    <th>Released</th>
                  </tr>
                </thead>
                <tbody>
                  ${u.recent.map(
                    (r) =>
                      html`<tr key=${r.orderId}>
                        <td>
                          <a class="mono" href=${`/admin/orders/${q(r.orderId)}`}
                            >${shortId(r.orderId)}</a
                          >
                        </td>
                        <td>${dateTime(r.redeemedAt)}</td>
                        <td class="num">${formatMoney(r.amount)}</td>
                        <td>${r.releasedAt ? dateTime(r.releasedAt) : ''}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        : null
    }
  </section>`;
}

function PromotionsPage() {
  const list = useApi('/admin/promotions');
  const [editing, setEditing] = useState(null);
  const [viewing, setViewing] = useState(null);
  const [notice, setNotice] = useState('');
  const [run, busy, error] = useAction();
  const togglePause = async (p) => {
    const saved = await run(() => api.patch(`/admin/promotions/${q(p.id)}`, { paused: !p.paused }));
    if (saved) {
      setNotice(`${saved.name} is ${saved.paused ? 'paused' : 'running again'}.`);
      list.reload();
    }
  };
  return html`<${PageHead} title="Promotions">
      <button type="button" class="primary" onClick=${() => setEditing({})}>New promotion</button>
    <//>
    <${ErrorNotice} error=${list.error || error} />
    <p class="notice" role="status">${notice}</p>
    <section class="panel" aria-label="Promotions">
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Code</th>
              <th>Gives</th>
              <th class="num">Used</th>
              <th>Window</th>
              <th>State</th>
              <th><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${(list.data ?? []).map(
              (p) =>
                html`<tr key=${p.id} data-promotion=${p.id}>
                  <td>${p.name}</td>
                  <td class="mono">${p.code ?? html`<span class="muted">automatic</span>`}</td>
                  <td>${kindLabel(p.kind)}: ${describe(p)}</td>
                  <td class="num">${p.used}${p.usageLimit ? ` / ${p.usageLimit}` : ''}</td>
                  <td>
                    ${p.startsAt ? dateTime(p.startsAt) : 'now'} –
                    ${p.endsAt ? dateTime(p.endsAt) : 'open'}
                  </td>
                  <td>
                    ${p.paused ? html`<span class="badge late">Paused</span>` : html`<span class="badge" data-status="DELIVERED">Running</span>`}
                  </td>
                  <td class="actions">
                    <button
                      type="button"
                      onClick=${() => setEditing(p)}
                      aria-label=${`Edit ${p.name}`}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      disabled=${busy}
                      onClick=${() => togglePause(p)}
                      aria-label=${`${p.paused ? 'Resume' : 'Pause'} ${p.name}`}
                    >
                      ${p.paused ? 'Resume' : 'Pause'}
                    </button>
                    <button
                      type="button"
                      onClick=${() => setViewing(p)}
                      aria-label=${`Usage of ${p.name}`}
                    >
                      Usage
                    </button>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${list.data && !list.data.length ? html`<p class="muted">No promotions yet.</p>` : null}
    </section>
    ${
      editing
        ? html`<${PromotionForm}
            key=${editing.id ?? 'new'}
            promotion=${editing}
            onCancel=${() => setEditing(null)}
            onSaved=${(p) => {
              setEditing(null);
              setNotice(`Saved ${p.name}.`);
              list.reload();
            }}
          />`
        : null
    }
    ${viewing ? html`<${Usage} key=${viewing.id} promotion=${viewing} />` : null}`;
}

mountConsole({ section: 'promotions', page: PromotionsPage });
