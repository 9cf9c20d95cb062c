// Rendering: state in, table rows out. No fetching here (app.js does that).
import { ago, h, replaceRows, when } from './dom.js';
import { clientHref } from './router.js';

const $ = (id) => document.getElementById(id);

const MODE_NAMES = { report: 'Report Mismatches', change: 'Change Password' };
const FILTER_STATES = {
  active: ['active', 'ok'],
  'pending-reboot': ['reboot required', 'warn'],
  'not-installed': ['not installed', 'warn'],
  disabled: ['disabled', 'warn'],
  faulted: ['faulted', 'bad'],
  unknown: ['not reported yet', ''],
};
const OUTCOMES = { ok: 'ok', flagged: 'warn', refused: 'bad', failed: 'bad' };
/** A machine not heard from for this long is shown as needing attention (agents report every few minutes). */
export const STALE_MS = 15 * 60_000;

const badge = (text, tone = '') => h('span', { class: `badge ${tone}` }, text);

export function renderSummary(flags, machines, now) {
  for (const out of document.querySelectorAll('output[data-flag]')) {
    const n = flags.total[out.dataset.flag] ?? 0;
    out.value = String(n);
    out.closest('div').classList.toggle('hot', n > 0);
  }
  const attention = machines.filter((m) => machineNeedsAttention(m, now)).length;
  $('machines-attention').value = String(attention);
  $('machines-attention').closest('div').classList.toggle('hot', attention > 0);
}

const machineNeedsAttention = (m, now) => m.filterState !== 'active' || now - m.lastSeen > STALE_MS;

/** A client's switches, in the table's column order: [option, the label the guide gives it]. */
export const CLIENT_SWITCHES = [
  ['windowsSync', 'Windows Sync'],
  ['twoWaySync', 'Two-Way Sync'],
  ['autoCreate', 'Auto Create Users'],
  ['agentsWriteShared', 'Agents write shared'],
];

/**
 * Clients (from GET /api/dashboard/clients) into `tbody`: the name as a link to the client's page, its counts,
 * its options as switches and a mode choice, and a Delete button (the hub refuses a client that still has
 * credentials or machines, and says how many). `on.change(client, change, input)` and `on.remove(client,
 * button)` are called on a change; a viewer gets everything disabled. The clients list and a client's own
 * page draw the same row.
 */
export function renderClients(tbody, clients, canChange, on) {
  const title = canChange ? undefined : 'only an operator or an admin may change this';
  replaceRows(tbody, clients.map((c) => {
    const parts = Object.entries(c.flags).filter(([, n]) => n > 0).map(([k, n]) => badge(`${n} ${k}`, 'bad'));
    const switches = CLIENT_SWITCHES.map(([field, label]) => h('td', {}, h('input', {
      type: 'checkbox', role: 'switch', 'aria-label': `${label}: ${c.name}`, checked: c[field], disabled: !canChange, title,
      onchange: (e) => on.change(c, { [field]: e.target.checked }, e.target),
    })));
    const mode = h('select', {
      'aria-label': `Default mode: ${c.name}`, disabled: !canChange, title,
      onchange: (e) => on.change(c, { defaultMode: e.target.value }, e.target),
    }, Object.entries(MODE_NAMES).map(([value, text]) => h('option', { value }, text)));
    mode.value = c.defaultMode;
    return h('tr', { 'data-client': c.name },
      h('th', { scope: 'row' }, h('a', { href: clientHref(c.name) }, c.name)),
      h('td', { class: 'num' }, c.credentials),
      h('td', { class: 'num' }, c.machines),
      h('td', {}, parts.length ? h('span', { class: 'badges' }, parts) : 'none'),
      switches,
      h('td', {}, mode),
      h('td', {}, h('button', {
        type: 'button', class: 'quiet', 'aria-label': `Delete client ${c.name}`, disabled: !canChange, title,
        onclick: (e) => on.remove(c, e.target),
      }, 'Delete')));
  }), 'No clients yet.', 10);
}

/**
 * Each credential with its two switches. `onSwitch(credential, field, checked, input)` is called on a flip;
 * a viewer gets them disabled (the hub would refuse, and record the attempt). A credential's Windows Sync
 * switch is there only when its client has Windows Sync on, as in the vendor's guide: off for the client,
 * no credential of it syncs whatever its own switch says. `rowActions(credential)` fills the last cell.
 */
export function renderCredentials(credentials, clients, canChange, onSwitch, rowActions = () => '', emptyText = 'No credentials yet.') {
  const title = canChange ? undefined : 'only an operator or an admin may change this';
  const clientSyncs = new Map(clients.map((c) => [c.name, c.windowsSync]));
  replaceRows($('credentials-body'), credentials.map((c) => {
    const who = `${c.username} (${c.client})`;
    const sw = (field, label, checked) => h('input', {
      type: 'checkbox', role: 'switch', 'aria-label': `${label}: ${who}`, checked, disabled: !canChange, title,
      onchange: (e) => onSwitch(c, field, e.target.checked, e.target),
    });
    const flags = c.flags.length
      ? h('ul', { class: 'badges', 'aria-label': `Flags of ${who}` }, c.flags.map((f) => h('li', { class: 'badge bad' }, f)))
      : h('span', { class: 'muted' }, 'none');
    return h('tr', { 'data-credential': c.id },
      h('td', {}, h('a', { href: clientHref(c.client) }, c.client)), h('th', { scope: 'row' }, c.username),
      h('td', {}, clientSyncs.get(c.client)
        ? sw('windowsSync', 'Windows Sync', c.windowsSync)
        : h('span', { class: 'muted', title: `Windows Sync is off for client ${c.client}` }, 'off for the client')),
      h('td', {}, sw('mode', 'Change Password', c.mode === 'change')),
      h('td', {}, MODE_NAMES[c.mode] ?? c.mode),
      h('td', {}, flags),
      h('td', { class: 'num' }, c.version),
      h('td', {}, when(c.updatedAt)),
      h('td', {}, rowActions(c)));
  }), emptyText, 9);
}

/** The password form's list of credentials, keeping the current choice when it is still there. */
export function renderCredentialChoices(credentials) {
  const select = document.querySelector('#password-form select[name="credential"]');
  const kept = select.value;
  select.replaceChildren(...credentials.map((c) => h('option', { value: String(c.id) }, `${c.username} (${c.client})`)));
  if (credentials.some((c) => String(c.id) === kept)) select.value = kept;
}

export function renderMachines(machines, now) {
  replaceRows($('machines-body'), machines.map((m) => {
    const [label, tone] = FILTER_STATES[m.filterState] ?? [m.filterState, 'bad'];
    const stale = now - m.lastSeen > STALE_MS;
    return h('tr', {},
      h('th', { scope: 'row' }, m.name), h('td', {}, m.client),
      h('td', {}, badge(label, tone)),
      h('td', { title: when(m.lastSeen) }, ago(now - m.lastSeen), stale ? [' ', badge('not reporting', 'bad')] : []),
      h('td', { class: 'num' }, m.journalDepth));
  }), 'No machine has been enrolled yet.', 5);
}

/** The event log filter's machine suggestions. */
export function renderMachineNames(machines) {
  $('machine-names').replaceChildren(...['hub', ...machines.map((m) => m.name)].map((n) => h('option', { value: n })));
}

const MAX_EVENT_ROWS = 500;

/**
 * Into the event log (or `body`), newest first. `events` come oldest first unless `newestFirst`. `fresh`
 * events are added on top (a live update), `more` at the bottom (older ones); otherwise the table is replaced.
 */
export function renderEvents(events, { fresh = false, more = false, newestFirst = false, body = $('events-body') } = {}) {
  const rows = (newestFirst ? [...events] : [...events].reverse()).map((e) => h('tr', { class: fresh ? 'fresh' : undefined },
    h('td', {}, when(e.time)), h('td', {}, e.machine), h('td', {}, e.account ?? ''),
    h('td', {}, e.kind), h('td', {}, badge(e.outcome, OUTCOMES[e.outcome] ?? '')),
    h('td', { class: 'reason' }, e.reason ?? '')));
  if (fresh) {
    body.querySelector('td.empty')?.closest('tr')?.remove();
    body.prepend(...rows);
    while (body.rows.length > MAX_EVENT_ROWS) body.deleteRow(-1);
  } else if (more) {
    body.append(...rows);
  } else {
    replaceRows(body, rows, 'No events match.', 6);
  }
  const kinds = $('event-kinds');
  const known = new Set([...kinds.options].map((o) => o.value));
  for (const e of events) if (!known.has(e.kind)) { known.add(e.kind); kinds.append(h('option', { value: e.kind })); }
}
