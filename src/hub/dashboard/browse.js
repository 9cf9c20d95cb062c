// One client's page and the search across clients, at MSP scale (100 clients × 1,000 credentials): nothing
// here ever loads every credential. Credentials come a page at a time from GET /api/dashboard/credentials
// (keyset cursors: "Next page" passes the hub's `next` back, "Previous page" the cursor kept from before),
// a client's events a page at a time from GET /api/dashboard/client-events ("Older events").
// app.js calls enter(route) on a navigation and refresh(route, clients) on every redraw; drawing the
// credential rows (with their switches, actions, reveal and history) stays app.js's, through hooks.drawCredentials.
import { api, ApiError } from './api.js';
import { renderClients, renderEvents, renderMachines } from './views.js';

const $ = (id) => document.getElementById(id);
export const PAGE_SIZE = 50;
const EVENTS_PAGE = 50;

/**
 * hooks: { canChange(), failed(err), clientHooks ({ change, remove } for the options row),
 *          drawCredentials(credentials, clients, emptyText) }.
 */
export function createBrowse(hooks) {
  // The credentials pager: `after` of the page shown, the cursors of the pages before it, the hub's `next`.
  let pager = { after: undefined, before: [], next: null };
  let filter = '';
  let olderEvents = null;

  function enter() {
    pager = { after: undefined, before: [], next: null };
    filter = '';
    $('credentials-filter').reset();
    olderEvents = null;
  }

  async function loadCredentials(route, clients, total) {
    const params = route.view === 'client'
      ? { client: route.client, q: filter || undefined }
      : { q: route.q, match: route.match };
    const page = await api.browseCredentials({ ...params, after: pager.after, limit: PAGE_SIZE });
    pager.next = page.next;
    const empty = route.view === 'search' ? 'No username matches.' : filter ? 'No username of this client matches.' : 'No credentials yet.';
    hooks.drawCredentials(page.credentials, clients, empty);
    const first = pager.before.length * PAGE_SIZE + 1;
    const last = first + page.credentials.length - 1;
    const of = route.view === 'client' && !filter ? ` of ${total}` : '';
    $('credentials-range').textContent = page.credentials.length ? `Credentials ${first}–${last}${of}.` : '';
    $('credentials-prev').disabled = pager.before.length === 0;
    $('credentials-next').disabled = !page.next;
  }

  async function refreshClient(route, clients) {
    let found;
    try {
      found = await api.client(route.client);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        $('client-title').textContent = `No client named ${route.client}`;
        $('client-counts').textContent = 'It may have been deleted, or the link is wrong.';
        for (const id of ['options-body', 'credentials-body', 'machines-body', 'client-events-body']) $(id).replaceChildren();
        return;
      }
      throw err;
    }
    const c = found.client;
    $('client-title').textContent = c.name;
    document.title = `${c.name} · pwbridge hub`;
    $('client-counts').textContent = `${c.credentials} credential${c.credentials === 1 ? '' : 's'}, ${c.machines} machine${c.machines === 1 ? '' : 's'}.`;
    renderClients($('options-body'), [c], hooks.canChange(), hooks.clientHooks);
    renderMachines(found.machines, found.now);
    $('client-events-hint').textContent = `What ${c.name}'s machines recorded, and what the hub recorded about its credentials; newest first.`;
    await Promise.all([loadCredentials(route, clients, c.credentials), loadEvents(c.name)]);
  }

  async function loadEvents(client, before) {
    const r = await api.clientEvents(client, before, EVENTS_PAGE);
    renderEvents(r.events, { newestFirst: true, more: before !== undefined, body: $('client-events-body') });
    olderEvents = r.next === null ? null : { client, before: r.next };
    $('client-events-older').hidden = olderEvents === null;
  }

  async function refresh(route, clients) {
    if (route.view === 'client') return refreshClient(route, clients);
    $('search-title').textContent = `Usernames ${route.match === 'prefix' ? 'starting with' : 'containing'} “${route.q}”`;
    document.title = `Search · pwbridge hub`;
    return loadCredentials(route, clients);
  }

  return { enter, refresh, bind };

  /** The pager's and filter's buttons; `redraw()` is app.js's refresh of the current view. */
  function bind(redraw) {
    $('credentials-next').addEventListener('click', () => {
      if (!pager.next) return;
      pager.before.push(pager.after);
      pager.after = pager.next;
      void redraw();
    });
    $('credentials-prev').addEventListener('click', () => {
      if (pager.before.length === 0) return;
      pager.after = pager.before.pop();
      void redraw();
    });
    $('credentials-filter').addEventListener('submit', (e) => {
      e.preventDefault();
      filter = e.target.elements.q.value.trim();
      pager = { after: undefined, before: [], next: null };
      void redraw();
    });
    $('credentials-filter').addEventListener('reset', () => {
      filter = '';
      pager = { after: undefined, before: [], next: null };
      setTimeout(redraw, 0);
    });
    $('client-events-older').addEventListener('click', async () => {
      if (!olderEvents) return;
      try {
        await loadEvents(olderEvents.client, olderEvents.before);
      } catch (err) {
        hooks.failed(err);
      }
    });
  }
}
