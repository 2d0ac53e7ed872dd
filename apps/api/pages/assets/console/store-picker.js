// The store the management pages work on (stock, riders, overview): kept in the URL (?storeId=)
// so a reload or a shared link opens the same store.
import { html, useEffect, useState } from './preact.js';

export function useStoreChoice(stores) {
  const [storeId, setStoreId] = useState(
    () => new URLSearchParams(location.search).get('storeId') ?? '',
  );
  useEffect(() => {
    if (!storeId && stores?.length) setStoreId(stores[0].id);
  }, [stores, storeId]);
  const choose = (id) => {
    const params = new URLSearchParams(location.search);
    if (id) params.set('storeId', id);
    else params.delete('storeId');
    history.replaceState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
    setStoreId(id);
  };
  return [storeId, choose];
}

export function StorePicker({ stores, value, onChange, id = 'store-pick', all }) {
  return html`<label class="row" for=${id}>
    <span>Store</span>
    <select id=${id} value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
      ${all ? html`<option value="">All stores</option>` : null}
      ${(stores ?? []).map((s) => html`<option value=${s.id}>${s.name} (${s.code})</option>`)}
    </select>
  </label>`;
}
