// The rider picker: a store's riders on shift with their load (GET /v1/admin/stores/:id/riders).
// Only riders on shift and under the load limit can be chosen; busy ones are listed disabled with
// their load; riders off shift are not offered at all (the API refuses them too). Read again when
// the picker gets focus, since loads change as orders move.
import { api, ErrorNotice, q } from './api.js';
import { shortId } from './format.js';
import { html, useCallback, useEffect, useState } from './preact.js';

export async function loadRiders(storeId) {
  return api.get(`/admin/stores/${q(storeId)}/riders`);
}

const optionLabel = (r) =>
  `${r.name || shortId(r.riderId)} · ${
    r.state === 'AVAILABLE'
      ? `${r.load} of ${r.maxLoad} out`
      : `busy (${r.load} of ${r.maxLoad} out)`
  }`;

export function RiderPicker({ storeId, value, onChange, id = 'rider-picker' }) {
  const [riders, setRiders] = useState(null);
  const [error, setError] = useState(null);
  const read = useCallback(
    () =>
      loadRiders(storeId).then(
        (list) => {
          setRiders(list);
          setError(null);
        },
        (e) => setError(e),
      ),
    [storeId],
  );
  useEffect(() => {
    void read();
  }, [read]);
  const onShift = (riders ?? []).filter((r) => r.state !== 'OFF_DUTY');
  const free = onShift.some((r) => r.state === 'AVAILABLE');
  return html`<label class="sr-only" for=${id}>Rider</label>
    <select
      id=${id}
      class="rider-picker"
      value=${value}
      onFocus=${read}
      onChange=${(e) => onChange(e.currentTarget.value)}
    >
      <option value="">
        ${riders === null ? 'Loading riders…' : free ? 'Choose a rider…' : 'No rider free on shift'}
      </option>
      ${onShift.map(
        (r) =>
          html`<option key=${r.riderId} value=${r.riderId} disabled=${r.state !== 'AVAILABLE'}>
            ${optionLabel(r)}
          </option>`,
      )}
    </select>
    <${ErrorNotice} error=${error} />`;
}
