// Conflicts: a section listing every open conflict with both sides (the machine's capture: which machine,
// when; the vault's password: which version, when, from where; never a password), and a dialog that
// resolves one in one click: "Keep the vault's" (the machine sets the vault's password, once) or "Take the
// machine's" (the machine sends the capture it kept sealed, and it becomes the password). Operators and
// admins only; the hub checks again and records who chose which. Hooked in with one call (drawConflicts)
// from app.js's refresh; the section places itself after the flag summary.
import { ApiError, call } from './api.js';
import { describeSource } from './history.js';
import { h, replaceRows, when } from './dom.js';

const list = async () => (await call('POST', '/api/vault/listConflicts', {})).conflicts;
const resolve = (k, choice) => call('POST', '/api/vault/resolveConflict', { credentialId: k.credentialId, machine: k.machine, choice });

const describeVault = (k) => `version ${k.vault.version}, set ${when(k.vault.passwordSetAt)}, ${describeSource(k.vault.source)}`;
const describeMachine = (k) => `captured on ${k.machine} ${when(k.capturedAt)}`;

/** What is happening with a conflict now, in words. */
function status(k) {
  if (k.captureMissingAt !== undefined) return `${k.machine} no longer has its capture: only keeping the vault's can settle this`;
  if (!k.resolution) return 'waiting for a choice';
  return k.resolution.choice === 'vault'
    ? `${k.resolution.by} kept the vault's; waiting for ${k.machine} to set it`
    : `${k.resolution.by} took the machine's; waiting for ${k.machine} to send it`;
}

let section;
let dialog;

function conflictsSection() {
  if (section) return section;
  const body = h('tbody', { id: 'conflicts-body' });
  section = h('section', { id: 'conflicts-section', 'aria-labelledby': 'conflicts-title' },
    h('h2', { id: 'conflicts-title' }, 'Conflicts'),
    h('p', { class: 'hint' }, 'A machine\'s local change that is older than the vault\'s password is not written: the vault keeps both sides ',
      'until someone chooses. Keep the vault\'s: the machine sets the vault\'s password once (in either mode). Take the machine\'s: ',
      'the machine sends the change it kept and it becomes the password.'),
    h('table', { 'aria-labelledby': 'conflicts-title' },
      h('thead', {}, h('tr', {},
        ['Credential', 'Client', 'Machine\'s change', 'Vault\'s password', 'Status'].map((c) => h('th', { scope: 'col' }, c)),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      body));
  Object.assign(section, { parts: { body } });
  const summary = document.getElementById('summary-title')?.closest('section');
  if (summary) summary.after(section);
  else document.getElementById('app-view').append(section);
  return section;
}

function conflictDialog() {
  if (dialog) return dialog;
  const title = h('h2', { id: 'conflict-title' });
  const machineSide = h('dd', { id: 'conflict-machine-side' });
  const vaultSide = h('dd', { id: 'conflict-vault-side' });
  const state = h('p', { id: 'conflict-state' });
  const message = h('p', { role: 'status', 'aria-live': 'polite', id: 'conflict-message' });
  const keep = h('button', { type: 'button', id: 'conflict-keep-vault' }, 'Keep the vault\'s');
  const take = h('button', { type: 'button', id: 'conflict-take-machine' }, 'Take the machine\'s');
  dialog = h('dialog', { id: 'conflict-dialog', 'aria-labelledby': 'conflict-title', 'aria-describedby': 'conflict-state' },
    title,
    h('dl', { class: 'sides' },
      h('div', {}, h('dt', {}, 'The machine\'s change'), machineSide),
      h('div', {}, h('dt', {}, 'The vault\'s password'), vaultSide)),
    state,
    h('div', { class: 'row' }, keep, take, h('button', { type: 'button', class: 'quiet', onclick: () => dialog.close() }, 'Close')),
    message);
  Object.assign(dialog, { parts: { title, machineSide, vaultSide, state, message, keep, take } });
  document.body.append(dialog);
  return dialog;
}

/** Open the dialog for conflict `k`. `canResolve`: operator or admin. */
export function openConflict(k, canResolve, on) {
  const d = conflictDialog();
  const p = d.parts;
  p.title.textContent = `Conflict: ${k.username} (${k.client}) on ${k.machine}`;
  p.machineSide.textContent = describeMachine(k);
  p.vaultSide.textContent = describeVault(k);
  p.state.textContent = status(k);
  p.message.textContent = '';
  const why = canResolve ? undefined : 'only an operator or an admin may resolve a conflict';
  const missing = k.captureMissingAt !== undefined;
  p.keep.disabled = !canResolve;
  p.keep.title = why ?? '';
  p.take.disabled = !canResolve || missing;
  p.take.title = why ?? (missing ? `${k.machine} no longer has this change` : '');
  p.keep.onclick = () => choose(k, 'vault', on);
  p.take.onclick = () => choose(k, 'machine', on);
  if (!d.open) d.showModal();
}

async function choose(k, choice, on) {
  const p = dialog.parts;
  p.keep.disabled = true;
  p.take.disabled = true;
  try {
    const r = await resolve(k, choice);
    p.state.textContent = status(r.conflict);
    p.message.textContent = choice === 'vault'
      ? `Kept the vault's password; ${k.machine} sets it at once if it is online, or when it next connects.`
      : `Took ${k.machine}'s change; it sends it at once if it is online, or when it next connects.`;
    on.changed();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { dialog.close(); on.failed(err); return; }
    p.message.textContent = `Not resolved: ${err.message}`;
    p.keep.disabled = false;
    p.take.disabled = k.captureMissingAt !== undefined;
  }
}

/** Draw (or redraw) the section. Shown only while there are conflicts. */
export async function drawConflicts(canResolve, on) {
  const s = conflictsSection();
  let conflicts;
  try {
    conflicts = await list();
  } catch (err) {
    on.failed(err);
    return;
  }
  s.hidden = conflicts.length === 0;
  replaceRows(s.parts.body, conflicts.map((k) => h('tr', { 'data-conflict': `${k.credentialId}|${k.machine}` },
    h('th', { scope: 'row' }, k.username),
    h('td', {}, k.client),
    h('td', {}, describeMachine(k)),
    h('td', {}, describeVault(k)),
    h('td', {}, status(k)),
    h('td', {}, h('button', {
      type: 'button', class: 'quiet', 'aria-label': `Resolve: ${k.username} (${k.client}) on ${k.machine}`,
      onclick: () => openConflict(k, canResolve, on),
    }, 'Resolve…')))), 'No conflicts.', 6);
}
