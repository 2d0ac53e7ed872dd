// A user who arrives here from another site (SameSite=Strict keeps the cookie out of that first
// request) may well be signed in: ask, from this page, and go on if so.
const next = new URLSearchParams(location.search).get('next');
if (!new URLSearchParams(location.search).has('signedOut')) {
  fetch('/admin/session/token', { method: 'POST', credentials: 'same-origin' })
    .then(async (res) => {
      if (!res.ok) return;
      const { user } = await res.json();
      const safe = next && /^\/(admin|track)(\/|$)/.test(next) && !next.includes('//');
      location.replace(safe ? next : user.role === 'admin' ? '/admin/board' : '/track');
    })
    .catch(() => {});
}
