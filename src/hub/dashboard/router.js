// Where the dashboard is, in the address's hash, so back/forward, reload and links work:
//   #/clients            every client (the default)
//   #/clients/NAME       one client: its options, credentials, machines and events
//   #/search?q=…&match=  credentials by username across clients
//   #/alerts             webhook alerts (admins; alerts.js)
//   #/enrolment          enrolment tokens (admins; enrolment.js)
// show(route) hides every element whose data-views does not name the route's view; focusHeading() then moves
// focus to the view's heading (tabindex=-1), so a screen reader announces where a link or back/forward led.

/** The route the hash names; anything unknown is the clients list. */
export function parseHash(hash = location.hash) {
  const path = hash.replace(/^#/, '');
  const [where, query = ''] = path.split('?');
  const parts = where.split('/').filter(Boolean);
  if (parts[0] === 'clients' && parts.length === 2) {
    try {
      return { view: 'client', client: decodeURIComponent(parts[1]) };
    } catch {
      return { view: 'clients' };
    }
  }
  if (parts[0] === 'alerts') return { view: 'alerts' };
  if (parts[0] === 'enrolment') return { view: 'enrolment' };
  if (parts[0] === 'search') {
    const q = new URLSearchParams(query);
    const text = (q.get('q') ?? '').trim();
    if (text) return { view: 'search', q: text, match: q.get('match') === 'prefix' ? 'prefix' : 'substring' };
  }
  return { view: 'clients' };
}

export const clientHref = (name) => `#/clients/${encodeURIComponent(name)}`;
export const searchHref = (q, match = 'substring') => `#/search?${new URLSearchParams(match === 'prefix' ? { q, match } : { q })}`;

/** Show the route's sections, hide the rest. */
export function show(route) {
  for (const el of document.querySelectorAll('[data-views]')) el.hidden = !el.dataset.views.split(' ').includes(route.view);
}

/** Focus the view's heading (after a navigation, not on every redraw). */
export function focusHeading(route) {
  document.querySelector(`[data-view-heading="${route.view}"]`)?.focus();
}

export function describe(route) {
  if (route.view === 'client') return `Client ${route.client}`;
  if (route.view === 'alerts') return 'Alerts';
  if (route.view === 'enrolment') return 'Enrolment tokens';
  if (route.view === 'search') return `Usernames ${route.match === 'prefix' ? 'starting with' : 'containing'} “${route.q}”`;
  return 'Clients';
}
