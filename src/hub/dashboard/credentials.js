// Credentials, as the vendor's guide has the administrator keep them: add one (`MACHINE\user` for one
// machine, a bare `user` shared by every machine of the client), edit its password, Windows Sync and mode,
// delete it. And the question before anything goes to Change Password: that mode makes machines set their
// local password to the vault's, so the page first says how many machines that is, and a cancel changes
// nothing. app.js hooks this in: rowActions() for the credentials table, update(clients) on each refresh,
// confirmChangePassword() before its own mode switches.
import { api, ApiError, toBase64 } from './api.js';
import { h } from './dom.js';

const $ = (id) => document.getElementById(id);
const fold = (name) => name.toLowerCase(); // as the hub folds names (src/domain/fold-name.ts)

/** The machine of a `MACHINE\user`, undefined for a shared `user` (as src/hub/access.ts reads it). */
export function machineOf(username) {
  const i = username.indexOf('\\');
  return i < 0 ? undefined : username.slice(0, i);
}

/**
 * The enrolled machines a credential reaches: its own machine for `MACHINE\user` (none while that machine
 * is not enrolled), else every machine of the client except those with their own `MACHINE\user` of that
 * name (the machine's own credential wins there, as the agents decide). `username` undefined: the client's
 * default mode, which reaches every machine of the client (the credentials its agents create).
 */
export function machinesReached(client, username, machines, credentials) {
  const mine = machines.filter((m) => fold(m.client) === fold(client));
  if (username === undefined) return { reached: mine, shadowed: [] };
  const own = machineOf(username);
  if (own !== undefined) return { reached: mine.filter((m) => fold(m.name) === fold(own)), shadowed: [] };
  const hasOwn = (m) => credentials.some((c) => fold(c.client) === fold(client) && fold(c.username) === fold(`${m.name}\\${username}`));
  return { reached: mine.filter((m) => !hasOwn(m)), shadowed: mine.filter(hasOwn) };
}

const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const names = (ms) => ms.map((m) => m.name).join(', ');

/** What switching to Change Password will do, in one sentence or two. */
export function describeReach(client, username, { reached, shadowed }) {
  if (username === undefined) {
    return `Client ${client}: credentials its machines create will be in Change Password mode. `
      + (reached.length ? `It has ${count(reached.length, 'enrolled machine', 'enrolled machines')} (${names(reached)}).` : 'It has no enrolled machine yet.');
  }
  const what = `${username} (${client})`;
  if (reached.length === 0) {
    return machineOf(username) !== undefined
      ? `${what}: machine ${machineOf(username)} is not enrolled yet, so this touches no machine now (it will once it is enrolled).`
      : `${what}: client ${client} has no enrolled machine that would use it, so this touches no machine now.`;
  }
  const but = shadowed.length
    ? ` ${count(shadowed.length, 'other machine follows', 'other machines follow')} its own MACHINE\\${username} instead (${names(shadowed)}).` : '';
  return `${what}: this will set the local password to the vault's on ${count(reached.length, 'machine', 'machines')} (${names(reached)}).${but}`;
}

// ---- the two dialogs -----------------------------------------------------------------------------

/** Ask in the confirmation dialog; true only for the confirming button (Escape and Cancel are false). */
export function confirmDialog(title, text, okLabel) {
  const dialog = $('confirm-dialog');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = okLabel;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

// ---- generated passwords -------------------------------------------------------------------------

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
// No quote, backslash or space: the password may be typed into a console or a script one day.
const SYMBOLS = '!#$%&*+-=?@^_~';
export const GENERATED_LENGTH = 20;

/** A uniformly random index below n, from the browser's CSPRNG (rejection sampling: no modulo bias). */
function randomBelow(n) {
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  const buf = new Uint32Array(1);
  do crypto.getRandomValues(buf); while (buf[0] >= limit);
  return buf[0] % n;
}

/**
 * 20 characters from 71 (about 123 bits), with at least one of each class so Windows' complexity rule
 * (three of four classes) and most Linux policies accept it. Ambiguous characters (l, 1, O, 0, o) are left out.
 */
export function generatePassword(length = GENERATED_LENGTH) {
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  const chars = [LOWER, UPPER, DIGITS, SYMBOLS].map((set) => set[randomBelow(set.length)]);
  while (chars.length < length) chars.push(all[randomBelow(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomBelow(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** A form's password and repeat fields: both empty (no change), or equal and non-empty; cleared once read. */
function takePassword(form, required) {
  const pw = form.elements.password.value;
  const repeat = form.elements.repeat.value;
  if (pw === '' && repeat === '') return required ? { error: 'Type a password or generate one.' } : {};
  if (pw !== repeat) return { error: 'The two passwords differ.' };
  form.elements.password.value = '';
  form.elements.repeat.value = '';
  return { password: toBase64(pw) };
}

function fillGenerated(form, message) {
  const pw = generatePassword();
  form.elements.password.value = pw;
  form.elements.repeat.value = pw;
  message.textContent = `A generated password of ${pw.length} characters is in both fields; it is sent when you save.`;
}

// ---- the module ----------------------------------------------------------------------------------

/**
 * hooks: { canChange(), refresh(), notice(text, bad), failed(err) } from app.js.
 * Returns { rowActions(cred), update(clients), enable(on), confirmChangePassword(client, username) }.
 */
export function createCredentials(hooks) {
  let clients = [];
  const clientOf = (name) => clients.find((c) => fold(c.name) === fold(name));

  /** True when the operator confirms (or nothing goes to Change Password); fetches the machines afresh. */
  async function confirmChangePassword(client, username) {
    let machines;
    try {
      machines = (await api.machines()).machines;
    } catch (err) {
      hooks.failed(err);
      return false;
    }
    // The page shows one page of credentials: the machines' own `MACHINE\\user` of a shared name are asked for.
    let own = [];
    if (username !== undefined && machineOf(username) === undefined) {
      try {
        own = (await api.browseCredentials({ client, q: `\\${username}`, limit: 500 })).credentials;
      } catch (err) {
        hooks.failed(err);
        return false;
      }
    }
    const text = describeReach(client, username, machinesReached(client, username, machines, own));
    return confirmDialog('Switch to Change Password?', text, 'Switch to Change Password');
  }

  // Add ----------------------------------------------------------------------------------------------
  const addForm = $('credential-form');
  const addMessage = $('credential-message');
  const addSync = $('credential-sync');

  /** The form follows its client: Windows Sync offered only when the client has it, the mode defaulting to the client's. */
  function followClient() {
    const c = clientOf(addForm.elements.client.value);
    addSync.hidden = !c?.windowsSync;
    if (!c?.windowsSync) addForm.elements.windowsSync.checked = false;
    if (c && !addForm.dataset.modeTouched) addForm.elements.mode.value = c.defaultMode;
  }
  addForm.elements.client.addEventListener('change', () => { delete addForm.dataset.modeTouched; followClient(); });
  addForm.elements.mode.addEventListener('change', () => { addForm.dataset.modeTouched = '1'; });
  $('credential-generate').addEventListener('click', () => fillGenerated(addForm, addMessage));

  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = addForm.elements;
    const client = f.client.value;
    const username = f.username.value.trim();
    const own = machineOf(username);
    if (own !== undefined && (own.trim() === '' || username.slice(own.length + 1).trim() === '')) {
      addMessage.textContent = 'Write MACHINE\\user with both parts, or just user for every machine of the client.';
      return;
    }
    const mode = f.mode.value;
    if (mode === 'change' && !(await confirmChangePassword(client, username))) {
      addMessage.textContent = 'Not added: Change Password was not confirmed.';
      return;
    }
    const pw = takePassword(addForm, true);
    if (pw.error) { addMessage.textContent = pw.error; return; }
    try {
      const r = await api.addCredential({ client, username, password: pw.password, windowsSync: f.windowsSync.checked, mode });
      addMessage.textContent = `Credential ${r.credential.username} (${r.credential.client}) added.`;
      f.username.value = '';
      await hooks.refresh();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) hooks.failed(err);
      else addMessage.textContent = `Not added: ${err.message}`;
    }
  });

  // Edit ---------------------------------------------------------------------------------------------
  const editDialog = $('credential-edit');
  const editForm = $('credential-edit-form');
  const editMessage = $('credential-edit-message');
  let editing;

  function openEdit(cred) {
    editing = cred;
    $('credential-edit-title').textContent = `Edit ${cred.username} (${cred.client})`;
    const f = editForm.elements;
    f.password.value = '';
    f.repeat.value = '';
    f.mode.value = cred.mode;
    f.windowsSync.checked = cred.windowsSync;
    $('credential-edit-sync').hidden = !clientOf(cred.client)?.windowsSync;
    editMessage.textContent = '';
    editDialog.showModal();
  }
  $('credential-edit-generate').addEventListener('click', () => fillGenerated(editForm, editMessage));
  $('credential-edit-cancel').addEventListener('click', () => {
    editForm.elements.password.value = '';
    editForm.elements.repeat.value = '';
    editDialog.close();
  });
  editDialog.addEventListener('close', () => { editForm.elements.password.value = ''; editForm.elements.repeat.value = ''; });

  editForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const cred = editing;
    const f = editForm.elements;
    const change = {};
    if (f.mode.value !== cred.mode) change.mode = f.mode.value;
    // Only offered while the client syncs; a hidden switch is not a change.
    if (!$('credential-edit-sync').hidden && f.windowsSync.checked !== cred.windowsSync) change.windowsSync = f.windowsSync.checked;
    if (change.mode === 'change' && !(await confirmChangePassword(cred.client, cred.username))) {
      editMessage.textContent = 'Not saved: Change Password was not confirmed.';
      return;
    }
    const pw = takePassword(editForm, false);
    if (pw.error) { editMessage.textContent = pw.error; return; }
    if (pw.password !== undefined) change.password = pw.password;
    if (Object.keys(change).length === 0) { editMessage.textContent = 'Nothing to save.'; return; }
    try {
      const r = await api.updateCredential(cred.client, cred.username, change);
      editDialog.close();
      const what = [change.password !== undefined && `password changed (version ${r.credential.version})`,
        change.windowsSync !== undefined && `Windows Sync ${change.windowsSync ? 'on' : 'off'}`,
        change.mode !== undefined && (change.mode === 'change' ? 'Change Password' : 'Report Mismatches')].filter(Boolean);
      hooks.notice(`${cred.username} (${cred.client}): ${what.join(', ')}.`);
      await hooks.refresh();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) { editDialog.close(); hooks.failed(err); }
      else editMessage.textContent = `Not saved: ${err.message}`;
    }
  });

  // Delete -------------------------------------------------------------------------------------------
  async function remove(cred, button) {
    const own = machineOf(cred.username);
    let shared;
    try {
      // Asked of the hub: the shared one need not be on the page shown.
      shared = own !== undefined && await api.findCredential(cred.client, cred.username.slice(own.length + 1));
    } catch (err) {
      hooks.failed(err);
      return;
    }
    const text = `${cred.username} (${cred.client}) and its password leave the vault for good. Machines keep the local password they have.`
      + (shared ? ` On ${own}, the shared ${shared.username} then governs the account (${shared.mode === 'change' ? 'Change Password' : 'Report Mismatches'}).` : '');
    if (!(await confirmDialog('Delete this credential?', text, 'Delete credential'))) return;
    button.disabled = true;
    try {
      await api.deleteCredential(cred.client, cred.username);
      hooks.notice(`Credential ${cred.username} (${cred.client}) deleted.`);
    } catch (err) {
      hooks.failed(err);
    } finally {
      await hooks.refresh();
    }
  }

  return {
    confirmChangePassword,
    rowActions(cred) {
      const title = hooks.canChange() ? undefined : 'only an operator or an admin may change this';
      const who = `${cred.username} (${cred.client})`;
      return h('span', { class: 'actions' },
        h('button', { type: 'button', class: 'quiet', 'aria-label': `Edit ${who}`, disabled: !hooks.canChange(), title, onclick: () => openEdit(cred) }, 'Edit'),
        h('button', { type: 'button', class: 'quiet', 'aria-label': `Delete ${who}`, disabled: !hooks.canChange(), title, onclick: (e) => remove(cred, e.target) }, 'Delete'));
    },
    /** The lists as of the last refresh; the add form's client choice keeps its value while it still exists. */
    update(newClients) {
      clients = newClients;
      const select = addForm.elements.client;
      const kept = select.value;
      select.replaceChildren(...clients.map((c) => h('option', { value: c.name }, c.name)));
      if (clients.some((c) => c.name === kept)) select.value = kept;
      followClient();
    },
    enable(on) {
      for (const el of addForm.elements) el.disabled = !on;
    },
  };
}
