// Enrolment tokens, for admins (#/enrolment; src/hub/api/enrolment-routes.ts): a form that makes a token for
// one client, a dialog that shows it once with the `pwbridge setup` command to deploy it with, and the list
// with each token's state and a Revoke button (after a confirmation).
// The token lives in the dialog only while it is open: closing it (Close, Escape) empties the fields, so
// the page holds no copy afterwards. The command names this hub by the address the browser reached it at;
// the certificate's fingerprint is not in the API (the browser cannot read it either), so the command says
// where it comes from instead of guessing one.
import { ApiError, call } from './api.js';
import { confirmDialog } from './credentials.js';
import { h, replaceRows, when } from './dom.js';

const $ = (id) => document.getElementById(id);
const TOKEN_FILE = '/root/enrol.token';

/** What a token is now: revoked, expired and used up say so; otherwise it still enrols. */
export function tokenState(t, now) {
  if (t.revokedAt !== null) return { state: 'revoked', text: `Revoked by ${t.revokedBy} at ${when(t.revokedAt)}` };
  if (t.usesLeft === 0) return { state: 'used-up', text: 'Used up' };
  if (t.expiresAt <= now) return { state: 'expired', text: 'Expired' };
  return { state: 'active', text: 'Active' };
}

/** The command to run on each machine: this hub's address, and the pin the admin gives. */
export function setupCommand(hubUrl) {
  return `pwbridge setup --hub ${hubUrl} --insecure-fingerprint FINGERPRINT --enrol-token-file ${TOKEN_FILE}`;
}

/** `ctx`: { notice, failed } from app.js. */
export function createEnrolment(ctx) {
  const form = $('enrolment-form');
  const dialog = $('enrolment-dialog');
  const isAuthError = (err) => err instanceof ApiError && err.status === 401;
  const say = (text) => { $('enrolment-message').textContent = text; };

  function fillClients(clients) {
    const select = form.elements.client;
    const chosen = select.value;
    select.replaceChildren(...clients.map((c) => h('option', { value: c.name }, c.name)));
    if (clients.some((c) => c.name === chosen)) select.value = chosen;
    form.querySelector('button[type="submit"]').disabled = clients.length === 0;
  }

  function drawTokens(tokens) {
    const now = Date.now();
    replaceRows($('enrolment-tokens'), tokens.map((t) => {
      const s = tokenState(t, now);
      return h('tr', { 'data-id': t.id, 'data-state': s.state },
        h('td', {}, `#${t.id}`), h('td', {}, t.client), h('td', {}, `${t.createdBy}, ${when(t.createdAt)}`),
        h('td', {}, when(t.expiresAt)), h('td', {}, `${t.usesLeft} of ${t.uses}`), h('td', {}, s.text),
        h('td', {}, t.revokedAt === null && s.state !== 'used-up'
          ? h('button', { type: 'button', class: 'quiet', onclick: () => revoke(t), 'aria-label': `Revoke enrolment token #${t.id}` }, 'Revoke') : ''));
    }), 'No enrolment tokens yet.', 7);
  }

  async function load() {
    const [clients, list] = await Promise.all([call('POST', '/api/vault/listClients', {}), call('GET', '/api/enrolment-tokens')]);
    fillClients(clients.clients);
    drawTokens(list.enrolmentTokens);
  }

  async function revoke(t) {
    const ok = await confirmDialog(`Revoke enrolment token #${t.id}?`,
      `No machine can enrol into "${t.client}" with it any more (${t.usesLeft} of ${t.uses} use(s) left). Machines already enrolled keep working.`, 'Revoke');
    if (!ok) return;
    try {
      await call('POST', '/api/enrolment-tokens/revoke', { id: t.id });
      say(`Enrolment token #${t.id} revoked.`);
      await load();
    } catch (err) {
      if (isAuthError(err)) ctx.failed(err); else say(`Not revoked: ${err.message}`);
    }
  }

  function show(token, made) {
    $('enrolment-dialog-title').textContent = `Enrolment token #${made.id} for ${made.client}`;
    $('enrolment-token-value').value = token;
    $('enrolment-command').value = setupCommand(location.origin);
    $('enrolment-command-hint').textContent = `${made.uses} use(s), until ${when(made.expiresAt)}. FINGERPRINT is the hub certificate's SHA-256 `
      + 'fingerprint, which pwbridge hub prints when it starts; with a certificate from your own CA, give --ca FILE instead of --insecure-fingerprint. '
      + `On Windows, put the file where only SYSTEM and Administrators may read it and give its path.`;
    $('enrolment-copy-status').textContent = '';
    dialog.showModal();
    $('enrolment-token-value').select();
  }

  // Closing, however it happens, drops the token from the page.
  dialog.addEventListener('close', () => {
    $('enrolment-token-value').value = '';
    $('enrolment-command').value = '';
    $('enrolment-copy-status').textContent = '';
  });
  $('enrolment-close').addEventListener('click', () => dialog.close());

  const copier = (id, what) => async () => {
    try {
      await navigator.clipboard.writeText($(id).value);
      $('enrolment-copy-status').textContent = `${what} copied to the clipboard.`;
    } catch (err) {
      $('enrolment-copy-status').textContent = `Not copied (${err.message}): select it and copy it by hand.`;
    }
  };
  $('enrolment-copy-token').addEventListener('click', copier('enrolment-token-value', 'Token'));
  $('enrolment-copy-command').addEventListener('click', copier('enrolment-command', 'Command'));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = form.elements;
    const body = { client: f.client.value, expiresInHours: Number(f.expiresInHours.value), uses: Number(f.uses.value) };
    try {
      const r = await call('POST', '/api/enrolment-tokens', body);
      say(`Enrolment token #${r.enrolmentToken.id} created for ${r.enrolmentToken.client}.`);
      show(r.token, r.enrolmentToken);
      await load();
    } catch (err) {
      if (isAuthError(err)) ctx.failed(err); else say(`Not created: ${err.message}`);
    }
  });

  return {
    /** Admins see the link. */
    enable(user) { $('nav-enrolment').hidden = user.role !== 'admin'; },
    /** The view was entered: the form back to its defaults, the list from the hub. */
    async enter() {
      say('');
      form.elements.expiresInHours.value = '24';
      form.elements.uses.value = '1';
      try { await load(); } catch (err) { ctx.failed(err); }
    },
    /** A redraw of the view (a new event): the list and the clients, keeping what the admin chose. */
    refresh: load,
  };
}
