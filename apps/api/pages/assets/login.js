// A user who arrives here from another site may well be signed in: SameSite=Strict kept the
// cookie out of that first request, so the server could not tell. It marks such a visit
// (data-probe); only then ask, from this page, and go on if so. The answer is always a 200.
const probe = document.querySelector('[data-probe]')?.dataset.probe === 'yes';
if (probe) {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  fetch(`/admin/login/session?next=${encodeURIComponent(next)}`, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  })
    .then((res) => (res.ok ? res.json() : null))
    .then((session) => session?.signedIn && location.replace(session.next))
    .catch(() => {});
}
