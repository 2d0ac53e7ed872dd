// One order for store staff: the pick list (printable), the customer, the address on a map, the
// money, the timeline in words, the rider and offers, internal notes, and the actions its state
// allows (pack with short picks, send out with a rider on shift, cancel with a reason). Live: the
// order's events on the tracking socket read the order again.
import { AreaMap } from '/pages/area-map.js';
import { ORDER_LABELS } from '/pages/order-labels.js';
import { api, ErrorNotice, q, session, useAction, useApi } from './api.js';
import { clock, dateTime, formatMoney, shortId, statusLabel, timeOfDay } from './format.js';
import { mountConsole, PageHead } from './layout.js';
import { html, useEffect, useRef, useState } from './preact.js';
import { RiderPicker } from './riders.js';
import { describeForStaff } from './staff-labels.js';

const orderId = decodeURIComponent(location.pathname.split('/').pop());
const OPEN = ['PLACED', 'PACKED', 'OUT_FOR_DELIVERY'];

/** Ticks every second (countdowns). */
function useNow() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The order's events on the tracking socket: each one reads the order again. */
function useLive(onEvent) {
  const [live, setLive] = useState('connecting');
  useEffect(() => {
    // Live once subscribed; then the order is read again (events missed while offline).
    const socket = session.socket({
      onStatus: (status) => status !== 'live' && setLive(status),
      onConnect: (s) =>
        s.emit('subscribe', { orderId }, () => {
          setLive('live');
          onEvent();
        }),
    });
    socket.on('order.event', (event) => event.orderId === orderId && onEvent());
    return () => socket.close();
  }, []);
  return live;
}

function PromiseBadge({ order, now }) {
  if (!OPEN.includes(order.status)) return null;
  const left = new Date(order.promisedBy).getTime() - now;
  return html`<span class=${`badge ${left < 0 ? 'late' : ''}`} id="promise">
    ${left < 0 ? `late by ${clock(left)}` : `${clock(left)} left`}
  </span>`;
}

/**
 * A product's picture when this server serves it; else a drawn bag. Our CSP allows images only
 * from this origin (and data:), so an image on another host would be refused by the browser.
 */
function pictureOf(url) {
  try {
    if (url && new URL(url, location.href).origin === location.origin) return url;
  } catch {
    // not a URL: the placeholder
  }
  return '/pages/console/product.svg';
}

/** The pick list: one row per line, with a short-pick control while the order is PLACED. */
function PickList({ detail, onChanged }) {
  const { order, images } = detail;
  const imageOf = new Map(images.map((i) => [i.productId, i.imageUrl]));
  const picking = order.status === 'PLACED';
  return html`<section class="panel pick-list" aria-labelledby="pick-title">
    <div class="page-head">
      <h2 id="pick-title">Pick list</h2>
      <button type="button" class="no-print" onClick=${() => window.print()}>Print</button>
    </div>
    <div class="table-wrap">
      <table class="data">
        <thead>
          <tr>
            <th><span class="sr-only">Image</span></th>
            <th>Product</th>
            <th class="num">Qty</th>
            <th class="num">Line</th>
            ${picking ? html`<th class="no-print">Short pick</th>` : null}
          </tr>
        </thead>
        <tbody>
          ${order.items.map(
            (item) =>
              html`<tr key=${item.productId} data-product=${item.productId}>
                <td><img class="thumb" src=${pictureOf(imageOf.get(item.productId))} alt="" /></td>
                <td>
                  <strong>${item.name}</strong><br />
                  <small class="muted">${item.sku} · ${item.unit}</small>
                </td>
                <td class="num qty">${item.quantity}</td>
                <td class="num">${formatMoney(item.lineTotal)}</td>
                ${
                  picking
                    ? html`<td class="no-print">
                        <${ShortPick} order=${order} item=${item} onChanged=${onChanged} />
                      </td>`
                    : null
                }
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <${Totals} order=${order} />
  </section>`;
}

function ShortPick({ order, item, onChanged }) {
  const [found, setFound] = useState('');
  const [run, busy, error] = useAction();
  const id = `found-${item.productId}`;
  const submit = async (e) => {
    e.preventDefault();
    const n = Number(found);
    const done = await run(() =>
      api.post(`/admin/orders/${q(order.id)}/lines/${q(item.productId)}/short`, { found: n }),
    );
    if (done) onChanged();
  };
  return html`<form class="row" onSubmit=${submit}>
    <label class="sr-only" for=${id}>Found of ${item.name}</label>
    <input
      id=${id}
      class="found"
      type="number"
      inputmode="numeric"
      min="0"
      max=${item.quantity - 1}
      required
      placeholder="found"
      value=${found}
      onInput=${(e) => setFound(e.currentTarget.value)}
    />
    <button type="submit" disabled=${busy}>Mark short</button>
    <${ErrorNotice} error=${error} />
  </form>`;
}

function Totals({ order }) {
  const zero = (m) => !m || m.amount === 0;
  return html`<dl class="facts totals">
    <dt>Items</dt>
    <dd class="num">${formatMoney(order.subtotal)}</dd>
    ${order.discounts.map(
      (d) =>
        html`<dt>${d.name}${d.code ? ` (${d.code})` : ''}</dt>
          <dd class="num">−${formatMoney(d.amount)}</dd>`,
    )}
    <dt>Delivery fee</dt>
    <dd class="num">${formatMoney(order.deliveryFee)}</dd>
    ${
      zero(order.smallBasketFee)
        ? null
        : html`<dt>Small basket fee</dt>
            <dd class="num">${formatMoney(order.smallBasketFee)}</dd>`
    }
    <dt><strong>Total</strong></dt>
    <dd class="num" id="order-total"><strong>${formatMoney(order.total)}</strong></dd>
    ${
      zero(order.refundDue)
        ? null
        : html`<dt>Refund due</dt>
            <dd class="num" id="refund-due">${formatMoney(order.refundDue)}</dd>`
    }
  </dl>`;
}

const PAYMENT_METHODS = { cod: 'Cash on delivery', online: 'Online' };
const PAYMENT_STATES = {
  not_started: 'Not started',
  pending: 'Waiting for the customer',
  failed: 'Last attempt failed',
  captured: 'Paid',
  cash_due: 'Cash due at the door',
  cash_collected: 'Cash collected',
};

/** Payment method and state (GET /v1/admin/orders/:id/payments, joined to the order below). */
function Payment({ order }) {
  const p = order.payment;
  if (!p) return null;
  return html`<section class="panel" aria-labelledby="payment-title">
    <h2 id="payment-title">Payment</h2>
    <dl class="facts">
      ${
        p.method
          ? html`<dt>Method</dt>
              <dd id="payment-method">${PAYMENT_METHODS[p.method] ?? p.method}</dd>`
          : null
      }
      ${
        p.status
          ? html`<dt>State</dt>
              <dd id="payment-state">${PAYMENT_STATES[p.status] ?? p.status}</dd>`
          : null
      }
      ${
        p.captured?.amount
          ? html`<dt>Captured</dt>
              <dd id="payment-captured">${formatMoney(p.captured)}</dd>`
          : null
      }
      ${
        p.refunded?.amount
          ? html`<dt>Refunded</dt>
              <dd>${formatMoney(p.refunded)}</dd>`
          : null
      }
    </dl>
  </section>`;
}

function Customer({ detail }) {
  const { customer, order, store } = detail;
  const a = order.address;
  const svg = useRef(null);
  useEffect(() => {
    const map = new AreaMap(
      svg.current,
      { lat: store.latitude, lng: store.longitude },
      store.serviceRadiusM,
      store.name,
    );
    map.setHome(order.id, { lat: a.lat, lng: a.lng }, 'delivery');
  }, [store.id, a.lat, a.lng]);
  return html`<section class="panel" aria-labelledby="customer-title">
    <h2 id="customer-title">Customer</h2>
    <dl class="facts" id="customer">
      <dt>Name</dt>
      <dd>${customer.name}</dd>
      <dt>Phone</dt>
      <dd>
        ${customer.phone ? html`<a href=${`tel:${customer.phone}`}>${customer.phone}</a>` : '—'}
      </dd>
      <dt>Email</dt>
      <dd>${customer.email}</dd>
      <dt>Address</dt>
      <dd>${[a.line1, a.line2, `${a.city} ${a.pincode}`].filter(Boolean).join(', ')}</dd>
      ${
        order.note
          ? html`<dt>Their note</dt>
              <dd>${order.note}</dd>`
          : null
      }
    </dl>
    <svg
      class="map order-map no-print"
      ref=${svg}
      role="img"
      aria-label="Map: the store and the delivery address"
    ></svg>
  </section>`;
}

function Timeline({ order }) {
  return html`<section class="panel" aria-labelledby="timeline-title">
    <h2 id="timeline-title">Timeline</h2>
    <ol class="timeline" id="timeline">
      ${(order.timeline ?? []).map((e) => {
        const { title, detail } = describeForStaff(e);
        return html`<li key=${e.seq}>
          <time datetime=${e.at}>${timeOfDay(e.at)}</time>
          <span class="what"
            ><strong>${title}</strong
            >${detail ? html`<span class="detail">${detail}</span>` : null}</span
          >
        </li>`;
      })}
    </ol>
  </section>`;
}

const OFFER_WORDS = {
  OFFERED: 'waiting for an answer',
  ACCEPTED: 'accepted',
  DECLINED: 'declined',
  EXPIRED: 'no answer in time',
  WITHDRAWN: 'withdrawn',
};

function RiderAndOffers({ detail }) {
  const { rider, offers } = detail;
  return html`<section class="panel" aria-labelledby="rider-title">
    <h2 id="rider-title">Rider</h2>
    ${
      rider
        ? html`<p id="rider">
            <strong>${rider.name}</strong>
            ${rider.phone ? html` · <a href=${`tel:${rider.phone}`}>${rider.phone}</a>` : null}
          </p>`
        : html`<p class="muted" id="rider">No rider yet.</p>`
    }
    ${
      offers.length
        ? html`<h3 class="sub">Offers</h3>
            <ul class="list" id="offers">
              ${offers.map(
                (o) =>
                  html`<li key=${o.id}>
                    ${timeOfDay(o.offeredAt)} · ${o.riderName ?? shortId(o.riderId)}:
                    ${OFFER_WORDS[o.status] ?? o.status}
                  </li>`,
              )}
            </ul>`
        : null
    }
  </section>`;
}

function Notes({ detail, onChanged }) {
  const [text, setText] = useState('');
  const [run, busy, error] = useAction();
  const submit = async (e) => {
    e.preventDefault();
    const added = await run(() => api.post(`/admin/orders/${q(orderId)}/notes`, { body: text }));
    if (added) {
      setText('');
      onChanged();
    }
  };
  return html`<section class="panel no-print" aria-labelledby="notes-title">
    <h2 id="notes-title">Internal notes <small class="muted">(staff only)</small></h2>
    <ul class="list" id="notes">
      ${detail.notes.map(
        (n) =>
          html`<li key=${n.id}>
            <small class="muted">${dateTime(n.createdAt)} · ${n.authorName ?? 'someone'}</small
            ><br />
            ${n.body}
          </li>`,
      )}
    </ul>
    <form class="form" onSubmit=${submit}>
      <label
        >Add a note
        <textarea
          name="body"
          maxlength="1000"
          required
          value=${text}
          onInput=${(e) => setText(e.currentTarget.value)}
        ></textarea>
      </label>
      <div class="row"><button type="submit" disabled=${busy}>Add note</button></div>
      <${ErrorNotice} error=${error} />
    </form>
  </section>`;
}

/** What can be done now: pack, send out with a rider on shift, cancel with a reason. */
function Actions({ detail, onChanged }) {
  const { order } = detail;
  const [run, busy, error] = useAction();
  const move = async (body) => {
    const done = await run(() => api.post(`/admin/orders/${q(order.id)}/transitions`, body));
    if (done) onChanged();
  };
  if (!OPEN.includes(order.status)) return null;
  return html`<section class="panel no-print actions" aria-labelledby="actions-title">
    <h2 id="actions-title">Actions</h2>
    ${
      order.status === 'PLACED'
        ? html`<p class="row">
            <button
              type="button"
              class="primary"
              disabled=${busy}
              onClick=${() => move({ to: 'PACKED' })}
            >
              Mark packed
            </button>
            <small class="muted"
              >Short lines first: mark what was not found in the pick list.</small
            >
          </p>`
        : null
    }
    ${
      order.status === 'PACKED'
        ? html`<${Dispatch}
            order=${order}
            busy=${busy}
            onSend=${(riderId) => move({ to: 'OUT_FOR_DELIVERY', riderId })}
          />`
        : null
    }
    <${Cancel}
      order=${order}
      busy=${busy}
      onCancel=${(reason) => move({ to: 'CANCELLED', reason })}
    />
    <${ErrorNotice} error=${error} />
  </section>`;
}

function Dispatch({ order, busy, onSend }) {
  const [riderId, setRiderId] = useState('');
  return html`<form
    class="row dispatch"
    onSubmit=${(e) => {
      e.preventDefault();
      if (riderId) onSend(riderId);
    }}
  >
    <${RiderPicker} storeId=${order.storeId} value=${riderId} onChange=${setRiderId} />
    <button type="submit" class="primary" disabled=${busy || !riderId}>Send out</button>
  </form>`;
}

function Cancel({ order, busy, onCancel }) {
  const [reason, setReason] = useState('');
  const paid = order.payment && /captured|paid|succeeded/i.test(order.payment.status ?? '');
  return html`<form
    class="row cancel"
    onSubmit=${(e) => {
      e.preventDefault();
      if (reason) onCancel(reason);
    }}
  >
    <label class="sr-only" for="cancel-reason">Cancel reason</label>
    <select
      id="cancel-reason"
      required
      value=${reason}
      onChange=${(e) => setReason(e.currentTarget.value)}
    >
      <option value="">Cancel: choose a reason…</option>
      ${Object.entries(ORDER_LABELS.storeCancelReasons).map(
        ([code, label]) => html`<option value=${code}>${label}</option>`,
      )}
    </select>
    <button type="submit" class="danger" disabled=${busy || !reason}>Cancel order</button>
    ${
      paid
        ? html`<small class="muted" id="cancel-refund"
            >The customer is refunded ${formatMoney(order.total)}.</small
          >`
        : null
    }
  </form>`;
}

function OrderPage() {
  const detail = useApi(`/admin/orders/${q(orderId)}`);
  const payment = useApi(`/admin/orders/${q(orderId)}/payments`);
  const live = useLive(() => {
    void detail.reload();
    void payment.reload();
  });
  const now = useNow();
  // The order with its payment (method, state, captured, refunded), for every panel.
  const d =
    detail.data && payment.data
      ? { ...detail.data, order: { ...detail.data.order, payment: payment.data } }
      : detail.data;
  useEffect(() => {
    if (d) document.title = `Order ${shortId(d.order.id)} · FlashCart ops`;
  }, [d?.order.id]);
  if (!d)
    return html`<${PageHead} title=${`Order ${shortId(orderId)}`} /><${ErrorNotice}
        error=${detail.error}
      />`;
  const o = d.order;
  return html`<${PageHead} title=${`Order ${shortId(o.id)}`}>
      <span class="badge" data-status=${o.status} id="status">${statusLabel(o.status)}</span>
      <${PromiseBadge} order=${o} now=${now} />
      <span class="pill" id="live" data-state=${live}
        >${live === 'live' ? 'live' : 'reconnecting…'}</span
      >
    <//>
    <p class="muted order-meta">
      ${d.store.name} · placed ${dateTime(o.placedAt)} · promised by ${timeOfDay(o.promisedBy)}
      <span class="mono"> · ${o.id}</span>
    </p>
    <${ErrorNotice} error=${detail.error} />
    <div class="split">
      <div class="stack">
        <${Actions} detail=${d} onChanged=${detail.reload} />
        <${PickList} detail=${d} onChanged=${detail.reload} />
        <${Payment} order=${o} />
        <${Timeline} order=${o} />
      </div>
      <div class="stack">
        <${Customer} detail=${d} />
        <${RiderAndOffers} detail=${d} />
        <${Notes} detail=${d} onChanged=${detail.reload} />
      </div>
    </div>`;
}

mountConsole({ section: 'orders', page: OrderPage });
