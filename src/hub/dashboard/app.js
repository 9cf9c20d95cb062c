// The dashboard: log in, show the view the address names (router.js: the clients, one client, a search),
// then keep it live. One long poll on the event log (every event after the last one seen) drives the
// updates: a new event redraws the view, because what changes a flag or a machine also records an event.
// A slow timer refreshes the rest (a machine's "last seen"). No view loads every credential (browse.js).
import { createAlerts } from './alerts.js';
import { api, ApiError, toBase64 } from './api.js';
import { drawConflicts } from './conflicts.js';
import { createEnrolment } from './enrolment.js';
import { createBrowse } from './browse.js';
import { createCredentials } from './credentials.js';
import { addHistoryButtons } from './history.js';
import { addRotationButtons } from './rotation.js';
import { describe, focusHeading, parseHash, searchHref, show } from './router.js';
import {
  renderClients, renderCredentialChoices, renderCredentials, renderEvents, renderMachineNames, renderSummary,
} from './views.js';
import { showRevealButtons } from './reveal.js';
import { createTransfer } from './transfer.js';
import { createUsers } from './users.js';

const $ = (id) => document.getElementById(id);
const LONG_POLL_MS = 25_000;
const RETRY_MS = 3_000;
const REFRESH_MS = 30_000;

const state = { user: undefined, route: parseHash(), clients: [], credentials: [], filters: {}, cursor: 0, session: 0 };
const canChange = () => state.user && state.user.role !== 'viewer';

function notice(text, bad = false) {
  $('notice').textContent = text;
  $('notice').classList.toggle('bad', bad);
}

function showLogin(message = '') {
  state.user = undefined;
  state.session += 1; // ends the live loop of the previous session
  $('app-view').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
  $('live').textContent = '';
  usersUi.stop();
  $('login-view').hidden = false;
  $('login-error').textContent = message;
  $('login-form').elements.user.focus();
}

/** Anything that fails with 401 means the session is gone: back to the login form. */
function failed(err) {
  if (err instanceof ApiError && err.status === 401) showLogin('Your session has ended; log in again.');
  else notice(err.message, true);
}

async function start(user) {
  state.user = user;
  const session = ++state.session;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = `${user.name} (${user.role})`;
  for (const el of $('password-form').elements) el.disabled = !canChange();
  for (const el of $('client-form').elements) el.disabled = !canChange();
  credentialsUi.enable(canChange());
  transferUi.enable(user);
  alertsUi.enable(user);
  await usersUi.start(user);
  enrolmentUi.enable(user);
  await Promise.all([navigate(parseHash(), false), loadEvents()]);
  void live(session);
}

/** Show `route`: its sections, its data, and (after a link or back/forward) focus on its heading. */
async function navigate(route, focus) {
  state.route = route;
  show(route);
  browse.enter(route);
  document.title = route.view === 'clients' ? 'pwbridge hub' : `${describe(route)} · pwbridge hub`;
  if (route.view === 'search') {
    // Before the data comes: a search typed meanwhile is not overwritten.
    const f = $('search-form').elements;
    f.q.value = route.q;
    f.match.value = route.match;
  }
  if (route.view === 'alerts') await alertsUi.enter();
  if (route.view === 'enrolment') await enrolmentUi.enter();
  await refresh();
  if (route.view === 'client') {
    // The add form starts at this client.
    const select = $('credential-form').elements.client;
    const mine = state.clients.find((c) => c.name.toLowerCase() === route.client.toLowerCase());
    if (mine && select.value !== mine.name) {
      select.value = mine.name;
      select.dispatchEvent(new Event('change'));
    }
  }
  if (focus && state.route === route) focusHeading(route);
}

window.addEventListener('hashchange', () => { if (state.user) void navigate(parseHash(), true); });

/** One credential page's rows, with everything other modules hang on them. */
function drawCredentials(credentials, clients, emptyText) {
  state.credentials = credentials;
  renderCredentials(credentials, clients, canChange(), flip, credentialsUi.rowActions, emptyText);
  credentialsUi.update(clients);
  showRevealButtons(credentials, canChange(), failed);
  addHistoryButtons($('credentials-body'), credentials, canChange(), { changed: refresh, failed });
  addRotationButtons($('credentials-body'), credentials, canChange(), { changed: refresh, failed });
  renderCredentialChoices(credentials);
}

let redrawing = Promise.resolve();
/** Redraw the current view; one redraw at a time, so a slow answer never overwrites a newer view. */
function refresh() {
  const run = redrawing.then(redraw);
  redrawing = run.catch(() => undefined);
  return run;
}

async function redraw() {
  const route = state.route;
  try {
    const [clients, flags, machines] = await Promise.all([api.browseClients(), api.flags(), api.machines()]);
    state.clients = clients;
    renderSummary(flags, machines.machines, machines.now);
    renderMachineNames(machines.machines);
    if (route.view === 'clients') {
      renderClients($('clients-body'), clients, canChange(), clientHooks);
      credentialsUi.update(clients);
    } else if (route.view === 'alerts') {
      await alertsUi.refresh();
    } else if (route.view === 'enrolment') {
      await enrolmentUi.refresh();
    } else {
      await browse.refresh(route, clients);
    }
    await drawConflicts(canChange(), { changed: refresh, failed });
  } catch (err) {
    failed(err);
  }
}

let pending;
/** Many events arrive in bursts: one refresh per burst. */
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(refresh, 200);
}

const filtered = () => Object.values(state.filters).some(Boolean);

async function loadEvents() {
  try {
    const r = await api.events({ ...state.filters, limit: 200 });
    renderEvents(r.events);
    if (!filtered()) state.cursor = Math.max(state.cursor, r.last);
    else if (state.cursor === 0) state.cursor = (await api.events({ limit: 1 })).last;
  } catch (err) {
    failed(err);
  }
}

async function live(session) {
  $('live').textContent = 'Live';
  while (session === state.session) {
    try {
      const r = await api.events({ after: state.cursor, waitMs: LONG_POLL_MS, limit: 500 });
      if (session !== state.session) return;
      $('live').textContent = 'Live';
      if (r.events.length === 0) continue;
      state.cursor = r.last;
      if (filtered()) void loadEvents();
      else renderEvents(r.events, { fresh: true });
      refreshSoon();
    } catch (err) {
      if (session !== state.session) return;
      if (err instanceof ApiError && err.status === 401) return showLogin('Your session has ended; log in again.');
      $('live').textContent = `Reconnecting: ${err.message}`;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}

async function flip(cred, field, checked, input) {
  const change = field === 'mode' ? { mode: checked ? 'change' : 'report' } : { windowsSync: checked };
  const what = field === 'mode' ? (checked ? 'Change Password' : 'Report Mismatches') : `Windows Sync ${checked ? 'on' : 'off'}`;
  if (field === 'mode' && checked && !(await credentialsUi.confirmChangePassword(cred.client, cred.username))) {
    input.checked = false;
    return;
  }
  input.disabled = true;
  try {
    await api.updateCredential(cred.client, cred.username, change);
    notice(`${cred.username} (${cred.client}): ${what}.`);
  } catch (err) {
    input.checked = !checked;
    failed(err);
  } finally {
    input.disabled = !canChange();
    await refresh();
  }
}

const OPTION_NAMES = {
  windowsSync: 'Windows Sync', twoWaySync: 'Two-Way Sync', autoCreate: 'Auto Create Users', agentsWriteShared: 'Agents write shared',
};

/** One option of a client, from its switch or its mode choice; the table is redrawn from the hub's answer. */
async function changeClient(client, change, input) {
  const [[field, value]] = Object.entries(change);
  const what = field === 'defaultMode' ? `default mode ${value === 'change' ? 'Change Password' : 'Report Mismatches'}` : `${OPTION_NAMES[field]} ${value ? 'on' : 'off'}`;
  if (field === 'defaultMode' && value === 'change' && !(await credentialsUi.confirmChangePassword(client.name))) {
    input.value = client.defaultMode;
    return;
  }
  input.disabled = true;
  try {
    await api.updateClient(client.name, change);
    notice(`Client ${client.name}: ${what}.`);
  } catch (err) {
    failed(err);
  } finally {
    await refresh();
  }
}

async function removeClient(client, button) {
  button.disabled = true;
  try {
    await api.deleteClient(client.name);
    notice(`Client ${client.name} deleted.`);
    if (state.route.view === 'client') location.hash = '#/clients';
  } catch (err) {
    failed(err);
  } finally {
    await refresh();
  }
}

$('client-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.target.elements;
  const client = {
    name: f.name.value.trim(),
    windowsSync: f.windowsSync.checked, twoWaySync: f.twoWaySync.checked, autoCreate: f.autoCreate.checked,
    agentsWriteShared: f.agentsWriteShared.checked, defaultMode: f.defaultMode.value,
  };
  const message = $('client-message');
  try {
    const r = await api.addClient(client);
    message.textContent = `Client ${r.client.name} added.`;
    e.target.reset();
    await refresh();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) failed(err);
    else message.textContent = `Not added: ${err.message}`;
  }
});

$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const f = e.target.elements;
  const q = f.q.value.trim();
  if (!q) return;
  const href = searchHref(q, f.match.value);
  // The same search again (no hashchange): run it again.
  if (location.hash === href) void navigate(parseHash(), true);
  else location.hash = href;
});

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.target;
  const user = form.elements.user.value;
  const password = form.elements.password.value;
  const code = form.elements.code.value.trim();
  form.elements.password.value = '';
  form.elements.code.value = '';
  $('login-error').textContent = '';
  try {
    const r = await api.login(user, password, code);
    $('login-code').hidden = true;
    await start(r.user);
  } catch (err) {
    // A second factor: the code field appears, and the password is asked again with it.
    if (err instanceof ApiError && err.code === 'mfa-required') {
      $('login-code').hidden = false;
      $('login-error').textContent = 'Enter your password again, with the code from your authenticator app.';
      form.elements.password.focus();
      return;
    }
    $('login-error').textContent = err.message;
  }
});

$('logout').addEventListener('click', async () => {
  try { await api.logout(); } catch { /* the session may be gone already */ }
  showLogin();
});

$('password-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.target;
  const cred = state.credentials.find((c) => String(c.id) === form.elements.credential.value);
  const password = form.elements.password.value;
  const repeat = form.elements.repeat.value;
  const message = $('password-message');
  if (!cred) { message.textContent = 'Choose a credential.'; return; }
  if (password !== repeat) { message.textContent = 'The two passwords differ.'; return; }
  // Cleared at once: the password stays in the page no longer than the request needs.
  form.elements.password.value = '';
  form.elements.repeat.value = '';
  try {
    const r = await api.updateCredential(cred.client, cred.username, { password: toBase64(password) });
    message.textContent = `The password of ${cred.username} (${cred.client}) is changed in the vault (version ${r.credential.version}).`;
    await refresh();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) failed(err);
    else message.textContent = `Not changed: ${err.message}`;
  }
});

$('events-filter').addEventListener('submit', (e) => {
  e.preventDefault();
  const f = e.target.elements;
  state.filters = { machine: f.machine.value.trim(), account: f.account.value.trim(), kind: f.kind.value.trim() };
  void loadEvents();
});
$('events-filter').addEventListener('reset', () => {
  state.filters = {};
  // After the form has cleared its fields.
  setTimeout(loadEvents, 0);
});

const credentialsUi = createCredentials({ canChange, refresh, notice, failed });
const transferUi = createTransfer({ refresh, notice, failed });
const alertsUi = createAlerts({ notice, failed });
const usersUi = createUsers({ failed });
const enrolmentUi = createEnrolment({ notice, failed });
const clientHooks = { change: changeClient, remove: removeClient };
const browse = createBrowse({ canChange, failed, clientHooks, drawCredentials });
browse.bind(refresh);

setInterval(() => { if (state.user) void refresh(); }, REFRESH_MS);

api.me().then((r) => (r.user ? start(r.user) : showLogin()), () => showLogin());
