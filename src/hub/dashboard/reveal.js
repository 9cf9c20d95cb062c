// Reveal and copy a credential's password: a button per credential for operators and admins (a viewer gets
// none, and the hub would refuse them anyway). The hub reveals only to a session whose user re-entered
// their own password in the last 5 minutes (a step-up): when it answers step-up-required, this asks for
// that password, steps up, and asks again. A user with a second factor is asked for its code too (the hub
// answers mfa-required, and the code field appears).
//
// The password is shown in a dialog with a Copy button and cleared after REVEAL_MS, or at once when the
// dialog is closed: its text node emptied, the dialog taken out of the page, the variable dropped. (A
// JavaScript string cannot be overwritten: once nothing refers to it, it is the garbage collector's.) The
// clipboard keeps a copied password until something else is copied: the page cannot clear only its own
// copy without reading the clipboard, which needs a permission of its own.
import { ApiError, call, toBase64 } from './api.js';
import { h } from './dom.js';

/** How long a revealed password stays on the page. */
export const REVEAL_MS = 30_000;

/** `?revealMs=N` in the page's address shortens it (for a test); never longer than REVEAL_MS. */
function revealMs() {
  const n = Number(new URLSearchParams(location.search).get('revealMs'));
  return Number.isSafeInteger(n) && n > 0 && n < REVEAL_MS ? n : REVEAL_MS;
}

const stepUp = (password, code) => call('POST', '/api/dashboard/step-up', { password: toBase64(password), ...(code ? { code } : {}) });

/** The password as text (UTF-8 in base64 on the wire). */
async function fetchPassword(credentialId) {
  const bin = atob((await call('POST', '/api/dashboard/reveal', { credentialId })).password);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder().decode(bytes);
  } finally {
    bytes.fill(0);
  }
}

/** The open dialog's close, if one is open: one reveal at a time. */
let closeCurrent;

function openDialog(title, ...content) {
  closeCurrent?.();
  const titleId = 'reveal-title';
  const dialog = h('dialog', { class: 'reveal', 'aria-labelledby': titleId }, h('h2', { id: titleId }, title), ...content);
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/** Ask for the user's own password and step up; resolves true once stepped up, false when cancelled. */
function askForStepUp(who, failed) {
  return new Promise((resolve) => {
    const input = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const code = h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 7 });
    const codeLabel = h('label', { hidden: true }, 'Code from your authenticator app ', code);
    const error = h('p', { class: 'error', role: 'alert' });
    let done = false;
    const finish = (ok) => {
      if (done) return;
      done = true;
      input.value = '';
      dialog.close();
      dialog.remove();
      if (closeCurrent === finishCancel) closeCurrent = undefined;
      resolve(ok);
    };
    const finishCancel = () => finish(false);
    const form = h('form', {
      class: 'stack',
      onsubmit: async (e) => {
        e.preventDefault();
        const password = input.value;
        input.value = '';
        error.textContent = '';
        try {
          await stepUp(password, code.value.trim());
          finish(true);
        } catch (err) {
          if (err instanceof ApiError && err.status === 401) { finish(false); failed(err); return; }
          code.value = '';
          if (err instanceof ApiError && err.code === 'mfa-required') {
            codeLabel.hidden = false;
            error.textContent = 'Enter your password again, with the code your authenticator app shows.';
            input.focus();
            return;
          }
          error.textContent = err.message;
          input.focus();
        }
      },
    },
    h('p', {}, `To reveal the password of ${who}, enter your own hub password. It lets you reveal passwords for 5 minutes.`),
    h('label', {}, 'Your password ', input),
    codeLabel,
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Continue'), h('button', { type: 'button', class: 'quiet', onclick: finishCancel }, 'Cancel')),
    error);
    const dialog = openDialog('Confirm it is you', form);
    dialog.addEventListener('close', finishCancel);
    closeCurrent = finishCancel;
    input.focus();
  });
}

/** Show the password, with Copy; gone after revealMs() or when closed. */
function show(who, password) {
  let value = password;
  const text = document.createTextNode(value);
  const status = h('p', { role: 'status' }, `Hidden again in ${Math.round(revealMs() / 1000)} s.`);
  let timer;
  const clear = () => {
    clearTimeout(timer);
    value = undefined;
    text.data = '';
    if (dialog.open) dialog.close();
    dialog.remove();
    if (closeCurrent === clear) closeCurrent = undefined;
  };
  const copy = async () => {
    if (value === undefined) return;
    try {
      await navigator.clipboard.writeText(value);
      status.textContent = 'Copied to the clipboard.';
    } catch (err) {
      status.textContent = `Not copied: ${err.message}`;
    }
  };
  const dialog = openDialog(`Password of ${who}`,
    // A read-only text box to assistive technology: a plain <code> may not carry a name (ARIA prohibits it
    // there, and screen readers drop it); focusable, so a keyboard user reaches the value and can select it.
    h('p', {}, h('code', { class: 'revealed', role: 'textbox', 'aria-readonly': 'true', tabindex: 0, 'aria-label': `Password of ${who}` }, text)),
    h('div', { class: 'row' }, h('button', { type: 'button', onclick: copy }, 'Copy'), h('button', { type: 'button', class: 'quiet', onclick: clear }, 'Hide')),
    status);
  dialog.addEventListener('close', clear);
  closeCurrent = clear;
  timer = setTimeout(clear, revealMs());
}

async function reveal(cred, failed) {
  const who = `${cred.username} (${cred.client})`;
  try {
    let password;
    try {
      password = await fetchPassword(cred.id);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'step-up-required')) throw err;
      if (!(await askForStepUp(who, failed))) return;
      password = await fetchPassword(cred.id);
    }
    show(who, password);
  } catch (err) {
    failed(err);
  }
}

/**
 * A Reveal button in every row of the credentials table (rows carry data-credential), and its column
 * heading; none of either when `canReveal` is false. Called after each render of the table.
 */
export function showRevealButtons(credentials, canReveal, failed) {
  const table = document.getElementById('credentials-body').closest('table');
  const heading = table.querySelector('thead th[data-reveal]');
  if (!canReveal) { heading?.remove(); return; }
  if (!heading) table.querySelector('thead tr').append(h('th', { scope: 'col', 'data-reveal': true }, h('span', { class: 'visually-hidden' }, 'Password')));
  const byId = new Map(credentials.map((c) => [String(c.id), c]));
  for (const row of table.tBodies[0].rows) {
    const cred = byId.get(row.dataset.credential);
    if (!cred) continue;
    row.append(h('td', {}, h('button', {
      type: 'button', class: 'quiet', 'aria-label': `Reveal password: ${cred.username} (${cred.client})`,
      onclick: () => reveal(cred, failed),
    }, 'Reveal')));
  }
}
