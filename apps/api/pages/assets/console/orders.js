// Orders: find an order by id, customer phone or email, or list a store's latest orders.
import { ErrorNotice, q, useApi } from './api.js';
import { dateTime, formatMoney, shortId, statusLabel } from './format.js';
import { mountConsole, PageHead } from './layout.js';
import { html, useState } from './preact.js';

const STATUSES = ['PLACED', 'PACKED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'CANCELLED'];

/** The page's state lives in its URL (?q=, ?status=, ?storeId=): reloadable, shareable. */
function readQuery() {
  const params = new URLSearchParams(location.search);
  return {
    q: params.get('q') ?? '',
    status: params.get('status') ?? '',
    storeId: params.get('storeId') ?? '',
  };
}

function listPath({ q: text, status, storeId }) {
  const params = new URLSearchParams({ limit: '50' });
  if (text.trim()) params.set('q', text.trim());
  if (status) params.set('status', status);
  if (storeId) params.set('storeId', storeId);
  return `/admin/orders?${params}`;
}

export function OrderRows({ orders }) {
  if (!orders.length) return html`<p class="muted">No orders.</p>`;
  return html`<div class="table-wrap">
    <table class="data">
      <thead>
        <tr>
          <th>Order</th>
          <th>Status</th>
          <th>Placed</th>
          <th class="num">Items</th>
          <th class="num">Total</th>
        </tr>
      </thead>
      <tbody>
        ${orders.map(
          (o) =>
            html`<tr key=${o.id}>
              <td><a class="mono" href=${`/admin/orders/${q(o.id)}`}>${shortId(o.id)}</a></td>
              <td><span class="badge" data-status=${o.status}>${statusLabel(o.status)}</span></td>
              <td>${dateTime(o.placedAt)}</td>
              <td class="num">${o.items.reduce((n, i) => n + i.quantity, 0)}</td>
              <td class="num">${formatMoney(o.total)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function OrdersPage() {
  const [query, setQuery] = useState(readQuery);
  const [draft, setDraft] = useState(query.q);
  const stores = useApi('/admin/stores');
  const orders = useApi(listPath(query));
  const apply = (next) => {
    const merged = { ...query, ...next };
    const params = new URLSearchParams(Object.entries(merged).filter(([, v]) => v));
    history.replaceState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
    setQuery(merged);
  };
  return html`<${PageHead} title="Orders" />
    <form
      class="search panel"
      role="search"
      onSubmit=${(e) => {
        e.preventDefault();
        apply({ q: draft });
      }}
    >
      <label class="sr-only" for="order-search">Order id, customer phone or email</label>
      <input
        id="order-search"
        type="search"
        name="q"
        maxlength="200"
        placeholder="Order id, customer phone or email"
        value=${draft}
        onInput=${(e) => setDraft(e.currentTarget.value)}
      />
      <label class="sr-only" for="order-store">Store</label>
      <select
        id="order-store"
        value=${query.storeId}
        onChange=${(e) => apply({ storeId: e.currentTarget.value })}
      >
        <option value="">All stores</option>
        ${(stores.data ?? []).map((s) => html`<option value=${s.id}>${s.name}</option>`)}
      </select>
      <label class="sr-only" for="order-status">Status</label>
      <select
        id="order-status"
        value=${query.status}
        onChange=${(e) => apply({ status: e.currentTarget.value })}
      >
        <option value="">Any status</option>
        ${STATUSES.map((s) => html`<option value=${s}>${statusLabel(s)}</option>`)}
      </select>
      <button type="submit" class="primary">Search</button>
    </form>
    <${ErrorNotice} error=${stores.error || orders.error} />
    <section class="panel" aria-label="Results" aria-busy=${orders.loading ? 'true' : 'false'}>
      ${orders.data ? html`<${OrderRows} orders=${orders.data.items} />` : null}
    </section>`;
}

mountConsole({ section: 'orders', page: OrdersPage });
