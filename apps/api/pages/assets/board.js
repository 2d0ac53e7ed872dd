// The live ops board: one store's open orders in columns, moved by the /tracking socket's
// `order.event`s (subscribe.store), with pack / dispatch / cancel calling the REST API.
import { AreaMap } from './area-map.js';
import {
  ApiError,
  clock,
  el,
  formatMoney,
  PageSession,
  setLive,
  shortId,
  timeOfDay,
  toast,
} from './session.js';

const session = new PageSession('/admin/session/token');
const OPEN = ['PLACED', 'PACKED', 'OUT_FOR_DELIVERY'];
const DONE_SHOWN = 8;

/**
 * The board's store's riders (GET /v1/admin/stores/:id/riders) with their shift state and load.
 * The dispatch picker offers only those AVAILABLE (on shift, under the load limit); BUSY ones are
 * listed but cannot be chosen; riders off shift or of another store are never offered.
 */
async function loadRiders(storeId) {
  const riders = await session.api('GET', `/admin/stores/${storeId}/riders`);
  return riders.map((r) => ({
    id: r.riderId,
    label: r.name || shortId(r.riderId),
    state: r.state,
    load: r.load,
    maxLoad: r.maxLoad,
    where: whereIs(r.lastPosition),
  }));
}

function riderOptions() {
  const onShift = state.riders.filter((r) => r.state !== 'OFF_DUTY');
  const options = onShift.map((r) =>
    el(
      'option',
      { value: r.id, disabled: r.state === 'AVAILABLE' ? undefined : '' },
      r.state === 'AVAILABLE'
        ? `${r.label} · ${r.load} of ${r.maxLoad} out`
        : `${r.label} · busy (${r.load} of ${r.maxLoad} out)`,
    ),
  );
  const free = onShift.some((r) => r.state === 'AVAILABLE');
  return [el('option', { value: '' }, free ? 'Choose a rider…' : 'No rider on shift'), ...options];
}

/** Reads the riders again and refreshes every open picker, keeping a choice still offered. */
let ridersPending;
function refreshRiders() {
  ridersPending ??= loadRiders(state.store.id)
    .then((riders) => {
      const same = JSON.stringify(riders) === JSON.stringify(state.riders);
      state.riders = riders;
      updateFloor();
      if (same) return; // an open picker is left alone
      for (const picker of document.querySelectorAll('.rider-picker')) {
        const chosen = picker.value;
        picker.replaceChildren(...riderOptions());
        const still = [...picker.options].find((o) => o.value === chosen && !o.disabled);
        picker.value = still ? chosen : '';
        picker.dispatchEvent(new Event('change'));
      }
    })
    .catch(showError)
    .finally(() => (ridersPending = undefined));
  return ridersPending;
}

const state = {
  store: null,
  /** orderId → { order, lastSeq, late } */
  orders: new Map(),
  cards: new Map(),
  riders: [],
  socket: null,
  map: null,
  loading: false,
  queued: [],
  positions: new Map(),
};

const columnOf = (status) => (OPEN.includes(status) ? status : 'DONE');
const listOf = (column) => document.querySelector(`[data-column="${column}"] ol`);
const riderLabel = (id) => state.riders.find((r) => r.id === id)?.label ?? shortId(id ?? '');

function isLate(entry, now = Date.now()) {
  const { order } = entry;
  const promised = Date.parse(order.promisedBy);
  if (order.status === 'CANCELLED') return false;
  if (order.status === 'DELIVERED') return Date.parse(order.updatedAt) > promised;
  return entry.late || now > promised;
}

function dueText(entry, now = Date.now()) {
  const { order } = entry;
  const left = Date.parse(order.promisedBy) - now;
  if (order.status === 'DELIVERED') return isLate(entry) ? 'delivered late' : 'delivered on time';
  if (order.status === 'CANCELLED') return 'cancelled';
  return left >= 0 ? `due in ${clock(left)}` : `late ${clock(left)}`;
}

// ---- cards ----------------------------------------------------------------------------------

function actionsFor(entry) {
  const { order } = entry;
  const box = el('div', { class: 'actions' });
  const act = (label, body, cls) =>
    el(
      'button',
      { type: 'button', class: cls, onclick: (e) => transition(entry, body, e.currentTarget) },
      label,
    );
  if (order.status === 'PLACED') box.append(act('Pack', { to: 'PACKED' }, 'primary'));
  if (order.status === 'PACKED') {
    const picker = el(
      'select',
      { 'aria-label': 'Rider', class: 'rider-picker' },
      ...riderOptions(),
    );
    const send = el('button', { type: 'button', class: 'primary', disabled: '' }, 'Dispatch');
    picker.addEventListener('change', () => (send.disabled = !picker.value));
    // Shifts change while the board is open: about to choose, read them again.
    picker.addEventListener('focus', () => void refreshRiders());
    send.addEventListener('click', () =>
      transition(entry, { to: 'OUT_FOR_DELIVERY', riderId: picker.value }, send),
    );
    box.append(picker, send);
  }
  if (
    order.status === 'PLACED' ||
    order.status === 'PACKED' ||
    order.status === 'OUT_FOR_DELIVERY'
  ) {
    // Two clicks to cancel (no blocking confirm dialog).
    const cancel = el('button', { type: 'button', class: 'danger' }, 'Cancel');
    let armed;
    cancel.addEventListener('click', () => {
      if (!armed) {
        cancel.textContent = 'Confirm cancel';
        armed = setTimeout(() => {
          armed = undefined;
          cancel.textContent = 'Cancel';
        }, 4000);
        return;
      }
      clearTimeout(armed);
      void transition(entry, { to: 'CANCELLED', reason: 'cancelled_by_store' }, cancel);
    });
    box.append(cancel);
  }
  return box;
}

function renderCard(entry) {
  const { order } = entry;
  let card = state.cards.get(order.id);
  const fresh = !card;
  if (fresh) {
    card = el('li', { class: 'order', dataset: { id: order.id } });
    state.cards.set(order.id, card);
  }
  const itemCount = order.items.reduce((n, i) => n + i.quantity, 0);
  if (fresh || card.dataset.status !== order.status) {
    card.dataset.status = order.status;
    card.replaceChildren(
      el(
        'header',
        {},
        el(
          'a',
          { class: 'id', title: `Open order ${order.id}`, href: `/admin/orders/${order.id}` },
          `#${shortId(order.id)}`,
        ),
        el('span', { class: 'due' }),
      ),
      el(
        'div',
        { class: 'facts' },
        el('span', { class: 'items' }, `${itemCount} item${itemCount === 1 ? '' : 's'}`),
        el(
          'span',
          {
            class: 'total',
            title: `items ${formatMoney(order.subtotal)} + fees ${formatMoney(feesOf(order))} − discounts ${formatMoney(order.discount)}`,
          },
          formatMoney(order.total),
        ),
        order.discount?.amount > 0
          ? el('span', { class: 'discount' }, `${formatMoney(order.discount)} off`)
          : null,
        el('span', { class: 'age' }),
        order.riderId ? el('span', { class: 'rider' }, `rider ${riderLabel(order.riderId)}`) : null,
      ),
      el('p', { class: 'problem', role: 'status' }),
      ...(OPEN.includes(order.status) ? [actionsFor(entry)] : []),
    );
  }
  tick(entry, card);
  const list = listOf(columnOf(order.status));
  if (card.parentElement !== list) place(list, card);
}

/** Open columns oldest first (most urgent on top); the done column newest first. */
function place(list, card) {
  const key = (id) => {
    const o = state.orders.get(id)?.order;
    return o ? (OPEN.includes(o.status) ? Date.parse(o.placedAt) : -Date.parse(o.updatedAt)) : 0;
  };
  const mine = key(card.dataset.id);
  const before = [...list.children].find((c) => key(c.dataset.id) > mine);
  list.insertBefore(card, before ?? null);
  if (list === listOf('DONE'))
    for (const extra of [...list.children].slice(DONE_SHOWN)) {
      extra.remove();
      state.cards.delete(extra.dataset.id);
      state.orders.delete(extra.dataset.id);
    }
}

function tick(entry, card = state.cards.get(entry.order.id), now = Date.now()) {
  if (!card) return;
  card.classList.toggle('late', isLate(entry, now));
  card.querySelector('.due').textContent = dueText(entry, now);
  const age = card.querySelector('.age');
  if (age)
    age.textContent = OPEN.includes(entry.order.status)
      ? `age ${clock(now - Date.parse(entry.order.placedAt))}`
      : `at ${timeOfDay(entry.order.updatedAt)}`;
}

function updateCounts() {
  for (const column of [...OPEN, 'DONE']) {
    const list = listOf(column);
    list.parentElement.querySelector('.count').textContent = String(list.children.length);
    let empty = list.parentElement.querySelector('.empty');
    if (list.children.length === 0 && !empty) list.after(el('p', { class: 'empty' }, 'No orders'));
    else if (list.children.length > 0) empty?.remove();
  }
  updateFloor();
}

/** The floor's numbers: capacity in use, orders waiting for a rider, riders on shift and where. */
function updateFloor() {
  if (!state.store) return;
  const open = OPEN.reduce((n, column) => n + listOf(column).children.length, 0);
  const capacity = document.getElementById('capacity');
  capacity.textContent = `${open} of ${state.store.maxOpenOrders} open orders`;
  capacity.classList.toggle('full', open >= state.store.maxOpenOrders);
  const waiting = [...state.orders.values()].filter((e) => e.order.status === 'PACKED').length;
  document.getElementById('waiting').textContent =
    waiting === 0 ? 'none' : `${waiting} order${waiting === 1 ? '' : 's'}`;
  const onShift = state.riders.filter((r) => r.state !== 'OFF_DUTY');
  document
    .getElementById('riders-on-shift')
    .replaceChildren(
      ...(onShift.length
        ? onShift.map((r) =>
            el(
              'li',
              { dataset: { rider: r.id } },
              el('strong', {}, r.label),
              ` · ${r.state === 'AVAILABLE' ? 'free' : 'busy'}, ${r.load} of ${r.maxLoad} out`,
              r.where ? ` · ${r.where}` : '',
            ),
          )
        : [el('li', { class: 'muted' }, 'Nobody on shift')]),
    );
}

/** "1.2 km from the store" from a rider's last position (equirectangular: fine in a city). */
function whereIs(position) {
  if (!position || !state.store) return '';
  const m =
    111_320 *
    Math.hypot(
      position.lat - state.store.latitude,
      Math.cos((state.store.latitude * Math.PI) / 180) * (position.lng - state.store.longitude),
    );
  return m < 150 ? 'at the store' : `${(m / 1000).toFixed(1)} km from the store`;
}

// ---- orders and events -------------------------------------------------------------------------

function upsert(order, lastSeq = 0) {
  const entry = state.orders.get(order.id) ?? { order, lastSeq: 0, late: false };
  const wasOut = entry.order.status === 'OUT_FOR_DELIVERY';
  entry.order = order;
  entry.lastSeq = Math.max(entry.lastSeq, lastSeq);
  if (order.timeline?.some((e) => e.type === 'order.sla_breached')) entry.late = true;
  state.orders.set(order.id, entry);
  renderCard(entry);
  const isOut = order.status === 'OUT_FOR_DELIVERY';
  if (isOut) followRider(order);
  else if (wasOut) unfollowRider(order.id);
  updateCounts();
}

async function fetchOrder(orderId) {
  const order = await session.api('GET', `/orders/${orderId}`);
  if (order.storeId !== state.store.id) return;
  upsert(order, Math.max(0, ...(order.timeline ?? []).map((e) => e.seq)));
}

function onEvent(event) {
  if (event.data?.storeId && event.data.storeId !== state.store.id) return;
  if (state.loading) return void state.queued.push(event);
  const entry = state.orders.get(event.orderId);
  if (!entry) return void fetchOrder(event.orderId).catch(showError);
  if (event.seq <= entry.lastSeq) return; // already seen (store room and order room both send)
  entry.lastSeq = event.seq;
  if (event.type === 'order.sla_breached') entry.late = true;
  const riderId = event.data?.riderId ?? entry.order.riderId;
  upsert({ ...entry.order, status: event.status, riderId, updatedAt: event.at }, event.seq);
  // A rider's load changed (sent out, delivered, or cancelled on the way).
  if (event.data?.riderId || entry.order.riderId) void refreshRiders();
}

async function reload() {
  state.loading = true;
  try {
    const lists = await Promise.all([
      ...OPEN.map((s) =>
        session.api('GET', `/admin/orders?storeId=${state.store.id}&status=${s}&limit=100`),
      ),
      session.api(
        'GET',
        `/admin/orders?storeId=${state.store.id}&status=DELIVERED&limit=${DONE_SHOWN}`,
      ),
      session.api(
        'GET',
        `/admin/orders?storeId=${state.store.id}&status=CANCELLED&limit=${DONE_SHOWN}`,
      ),
    ]);
    for (const card of state.cards.values()) card.remove();
    state.cards.clear();
    state.orders.clear();
    for (const id of state.map.ids()) unfollowRider(id);
    for (const order of lists.flatMap((l) => l.items)) upsert(order);
    updateCounts();
    await refreshRiders();
  } finally {
    state.loading = false;
  }
  // Events that arrived meanwhile: their orders are read again (the list may predate them).
  const queued = new Set(state.queued.splice(0).map((e) => e.orderId));
  await Promise.all([...queued].map((id) => fetchOrder(id).catch(showError)));
}

async function transition(entry, body, button) {
  const card = state.cards.get(entry.order.id);
  const problem = card?.querySelector('.problem');
  if (problem) problem.textContent = '';
  button.disabled = true;
  try {
    const order = await session.api('POST', `/admin/orders/${entry.order.id}/transitions`, body);
    upsert(order);
  } catch (e) {
    showError(e);
    if (problem) problem.textContent = `${e.code ?? 'ERROR'}: ${e.message}`;
    button.disabled = false;
    // Someone else was faster, or the order changed: show it as it now is.
    if (e instanceof ApiError && e.status === 409) await fetchOrder(entry.order.id).catch(() => {});
    const again = state.cards.get(entry.order.id)?.querySelector('.problem');
    if (again && !again.textContent) again.textContent = `${e.code ?? 'ERROR'}: ${e.message}`;
  }
}

function showError(e) {
  toast(e.message ?? String(e), e.code);
}

// ---- riders on the map ---------------------------------------------------------------------

function followRider(order) {
  const label = `#${shortId(order.id)}`;
  state.map.setHome(order.id, order.address, label);
  const known = state.positions.get(order.id);
  if (!state.map.riders.has(order.id))
    state.map.setRider(
      order.id,
      known ?? { lat: state.store.latitude, lng: state.store.longitude },
      !known,
    );
  // Positions are sent to an order's subscribers (admins may follow any order).
  state.socket?.emit('subscribe', { orderId: order.id }, () => {});
}

function unfollowRider(orderId) {
  state.map.remove(orderId);
  state.positions.delete(orderId);
  state.socket?.emit('unsubscribe', { orderId }, () => {});
}

function onLocation({ orderId, lat, lng }) {
  if (state.orders.get(orderId)?.order.status !== 'OUT_FOR_DELIVERY') return;
  state.positions.set(orderId, { lat, lng });
  state.map.setRider(orderId, { lat, lng });
}

// ---- start -------------------------------------------------------------------------------------

async function start() {
  await session.token();
  const [me, stores] = await Promise.all([
    session.api('GET', '/auth/me'),
    session.api('GET', '/admin/stores'),
  ]);
  document.getElementById('who').textContent = me.email;
  const select = document.getElementById('store');
  if (stores.length === 0) {
    setLive('no stores');
    toast('No stores yet: create one with POST /v1/admin/stores, then reload.');
    return;
  }
  const wanted =
    new URLSearchParams(location.search).get('store') ?? localStorage.getItem('flashcart.store');
  state.store = stores.find((s) => s.id === wanted) ?? stores[0];
  localStorage.setItem('flashcart.store', state.store.id);
  select.replaceChildren(
    ...stores.map((s) => el('option', { value: s.id }, `${s.name} (${s.code})`)),
  );
  select.value = state.store.id;
  select.addEventListener('change', () => {
    localStorage.setItem('flashcart.store', select.value);
    location.search = `?store=${select.value}`;
  });
  document.title = `${state.store.name} · Ops board · FlashCart`;
  document.getElementById('map-title').textContent = `${state.store.name}: riders out for delivery`;
  state.map = new AreaMap(
    document.getElementById('map'),
    { lat: state.store.latitude, lng: state.store.longitude },
    state.store.serviceRadiusM,
    state.store.code,
  );
  state.riders = await loadRiders(state.store.id).catch((e) => (showError(e), []));
  updateCounts();

  state.socket = session.socket({
    onStatus: setLive,
    // On every (re)connection: subscribe, then read the board again (events missed meanwhile).
    onConnect: (socket) =>
      socket.emit('subscribe.store', { storeId: state.store.id }, (ack) => {
        if (!ack?.ok) return toast('Live updates refused', ack?.error);
        reload().catch(showError);
      }),
  });
  state.socket.on('order.event', onEvent);
  state.socket.on('rider.location', onLocation);
  state.socket.on('resync', () => reload().catch(showError));
  // Ages and countdowns tick locally (nothing is fetched).
  setInterval(() => {
    const now = Date.now();
    for (const entry of state.orders.values()) tick(entry, undefined, now);
  }, 1000);
}

start().catch(showError);

/** Delivery and small-basket fees together (orders placed before fees existed have none). */
function feesOf(order) {
  const amount = order.deliveryFee.amount + (order.smallBasketFee?.amount ?? 0);
  return { amount, currency: order.total.currency };
}
