// A credential's password history: a "History" button on each credential row opens a dialog that lists
// the passwords the vault keeps (version, when set, where from; never a password), with a Restore button
// on each earlier one for operators. A restore is a new version, so the machines get it by push-down as
// any vault change. Hooked in with one call (addHistoryButtons) after the credentials table is drawn.
import { api, ApiError } from './api.js';
import { h, replaceRows, when } from './dom.js';

/** Where a password came from, as the hub stores it (src/vault/password-history.ts says the same). */
export function describeSource(s) {
  if (!s) return 'not recorded';
  switch (s.kind) {
    case 'capture': return `captured on ${s.machine}${s.resolvedBy ? `, conflict resolved by ${s.resolvedBy}` : ''}`;
    case 'user': return `set by ${s.user}`;
    case 'cli': return 'set with the local CLI';
    case 'import': return 'imported';
    case 'restore': return `restored from version ${s.fromVersion} by ${s.by}`;
    case 'rotation': return s.trigger === 'schedule' ? 'rotated on schedule' : s.trigger === 'after-read' ? 'rotated after it was read' : `rotated now by ${s.by ?? 'a user'}`;
    default: return s.kind;
  }
}

let dialog;

/** The dialog, made once: a title, the table, a status line and Close. */
function historyDialog() {
  if (dialog) return dialog;
  const body = h('tbody', {});
  const message = h('p', { role: 'status', class: 'history-message' });
  const title = h('h2', { id: 'history-title' });
  dialog = h('dialog', { id: 'history-dialog', 'aria-labelledby': 'history-title' },
    title,
    h('table', { 'aria-labelledby': 'history-title' },
      h('thead', {}, h('tr', {},
        ['Version', 'Set', 'Source', 'Replaced'].map((c) => h('th', { scope: 'col' }, c)),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      body),
    message,
    h('button', { type: 'button', onclick: () => dialog.close() }, 'Close'));
  Object.assign(dialog, { parts: { body, message, title } });
  document.body.append(dialog);
  return dialog;
}

/**
 * Open the history of `cred`. `canRestore`: the user is an operator or an admin (the hub checks again).
 * `on.changed()` after a restore (redraw the tables), `on.failed(err)` for a lost session.
 */
export async function openHistory(cred, canRestore, on) {
  const d = historyDialog();
  d.parts.title.textContent = `Password history: ${cred.username} (${cred.client})`;
  d.parts.message.textContent = '';
  if (!d.open) d.showModal();
  await load(cred, canRestore, on);
}

async function load(cred, canRestore, on) {
  const { body, message } = dialog.parts;
  let history;
  try {
    history = await api.passwordHistory(cred.id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { dialog.close(); on.failed(err); return; }
    message.textContent = `Not loaded: ${err.message}`;
    return;
  }
  const title = canRestore ? undefined : 'only an operator or an admin may restore a password';
  replaceRows(body, history.map((e) => h('tr', { 'data-version': e.version },
    h('th', { scope: 'row', class: 'num' }, e.current ? `${e.version} (current)` : String(e.version)),
    h('td', {}, when(e.setAt)),
    h('td', {}, describeSource(e.source)),
    h('td', {}, e.replacedAt === undefined ? '' : when(e.replacedAt)),
    h('td', {}, e.current ? '' : h('button', {
      type: 'button', class: 'quiet', disabled: !canRestore, title, 'aria-label': `Restore version ${e.version}`,
      onclick: (ev) => restore(cred, e.version, ev.target, canRestore, on),
    }, 'Restore')))), 'No history.', 5);
}

async function restore(cred, version, button, canRestore, on) {
  button.disabled = true;
  const { message } = dialog.parts;
  try {
    const r = await api.restorePassword(cred.id, version);
    message.textContent = `Version ${version} restored as version ${r.credential.version}; the machines get it like any vault change.`;
    on.changed();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { dialog.close(); on.failed(err); return; }
    message.textContent = `Not restored: ${err.message}`;
  }
  await load(cred, canRestore, on);
}

/**
 * A History button at the end of each credential row (`tr[data-credential]` of `tbody`), and the column's
 * header once. Every user may list a history; the Restore buttons follow `canRestore`.
 */
export function addHistoryButtons(tbody, credentials, canRestore, on) {
  const headRow = tbody.closest('table')?.querySelector('thead tr');
  if (headRow && !headRow.querySelector('th[data-history]')) {
    headRow.append(h('th', { scope: 'col', 'data-history': '' }, h('span', { class: 'visually-hidden' }, 'History')));
  }
  const byId = new Map(credentials.map((c) => [String(c.id), c]));
  for (const row of tbody.querySelectorAll('tr[data-credential]')) {
    const cred = byId.get(row.dataset.credential);
    if (!cred) continue;
    row.append(h('td', {}, h('button', {
      type: 'button', class: 'quiet', 'aria-label': `History: ${cred.username} (${cred.client})`,
      onclick: () => openHistory(cred, canRestore, on),
    }, 'History')));
  }
}
