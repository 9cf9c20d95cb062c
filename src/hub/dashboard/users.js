// Hub users (admins only) and everyone's own second factor, each in a dialog opened from the header:
// - Users: the list with role, permissions, state and second factor; add; change role and permissions;
//   disable/enable; reset the password to one the hub generates (shown here once); reset a second factor.
//   The hub enforces the rules (never the last enabled admin; a new password or a disable ends sessions).
// - Two-factor sign-in: begin (the secret shown once, as text and otpauth:// link), confirm with a code.
//   On a hub with --require-mfa an admin without one is sent here at once: nothing else answers them.
import { call, ApiError, toBase64 } from './api.js';
import { h, replaceRows } from './dom.js';

const $ = (id) => document.getElementById(id);

const usersApi = {
  list: async () => (await call('GET', '/api/users')).users,
  add: (u) => call('POST', '/api/users', u),
  set: (name, change) => call('POST', '/api/users/set', { name, ...change }),
  disable: (name, off) => call('POST', `/api/users/${off ? 'disable' : 'enable'}`, { name }),
  generatePassword: (name) => call('POST', '/api/users/passwd-generate', { name }),
  resetMfa: (name) => call('POST', '/api/users/mfa-reset', { name }),
  mfa: () => call('GET', '/api/account/mfa'),
  beginMfa: () => call('POST', '/api/account/mfa/begin', {}),
  confirmMfa: (code) => call('POST', '/api/account/mfa/confirm', { code }),
};

const fromBase64 = (b64) => new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));

export function createUsers({ failed }) {
  let me;
  const say = (text) => { $('users-message').textContent = text; };

  /** Run an action of the users dialog; a refusal is said in the dialog, a lost session goes to login. */
  async function act(what, fn) {
    try {
      const done = await fn();
      say(typeof done === 'string' ? done : `${what}: done.`);
      await draw();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) { $('users-dialog').close(); failed(err); return; }
      say(`${what}: not done: ${err.message}`);
    }
  }

  function row(u) {
    const who = u.name;
    const role = h('select', { 'aria-label': `Role: ${who}`, onchange: () => act(`Role of ${who}`, () => usersApi.set(who, { role: role.value })) },
      ...['viewer', 'operator', 'admin'].map((r) => h('option', { value: r }, r)));
    role.value = u.role;
    const adSync = h('input', {
      type: 'checkbox', 'aria-label': `Permission setup-ad-sync: ${who}`, checked: u.permissions.includes('setup-ad-sync'),
      onchange: () => act(`Permissions of ${who}`, () => usersApi.set(who, { permissions: adSync.checked ? ['setup-ad-sync'] : [] })),
    });
    return h('tr', { 'data-user': who },
      h('th', { scope: 'row' }, who),
      h('td', {}, role),
      h('td', {}, h('label', { class: 'check' }, adSync, ' setup-ad-sync')),
      h('td', {}, u.disabled ? 'disabled' : 'enabled'),
      h('td', {}, u.mfa ? 'on' : 'off'),
      h('td', {}, h('div', { class: 'row' },
        h('button', { type: 'button', class: 'quiet', 'aria-label': `${u.disabled ? 'Enable' : 'Disable'} ${who}`,
          onclick: () => act(`${u.disabled ? 'Enable' : 'Disable'} ${who}`, () => usersApi.disable(who, !u.disabled)) }, u.disabled ? 'Enable' : 'Disable'),
        h('button', { type: 'button', class: 'quiet', 'aria-label': `Reset password: ${who}`,
          onclick: () => act(`New password for ${who}`, async () => {
            const r = await usersApi.generatePassword(who);
            showPassword(who, fromBase64(r.password));
            return `New password for ${who}: shown below this once; their sessions ended.`;
          }) }, 'Reset password'),
        u.mfa && h('button', { type: 'button', class: 'quiet', 'aria-label': `Reset two-factor: ${who}`,
          onclick: () => act(`Two-factor of ${who}`, async () => { await usersApi.resetMfa(who); return `Two-factor of ${who} removed; their sessions ended.`; }) }, 'Reset two-factor'))));
  }

  /** The generated password, in the dialog until it closes: the hub keeps only its hash. */
  function showPassword(who, password) {
    $('users-password').hidden = false;
    $('users-password-who').textContent = who;
    $('users-password-value').textContent = password;
  }

  async function draw() {
    replaceRows($('users-body'), (await usersApi.list()).map(row), 'No users.', 6);
  }

  $('users-open').addEventListener('click', async () => {
    say('');
    $('users-password').hidden = true;
    $('users-dialog').showModal();
    try { await draw(); } catch (err) { say(err.message); }
  });
  $('users-dialog').addEventListener('close', () => {
    $('users-password-value').textContent = '';
    $('users-password').hidden = true;
  });
  $('users-close').addEventListener('click', () => $('users-dialog').close());
  $('user-add-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const u = { name: f.name.value.trim(), role: f.role.value, permissions: f.adSync.checked ? ['setup-ad-sync'] : [], password: toBase64(f.password.value) };
    f.password.value = '';
    await act(`Add ${u.name}`, async () => { await usersApi.add(u); e.target.reset(); return `User ${u.name} added.`; });
  });

  // ---- own second factor ----
  const mfaSay = (text) => { $('mfa-message').textContent = text; };

  async function drawMfa() {
    const s = await usersApi.mfa();
    $('mfa-state').textContent = s.enabled ? 'Two-factor sign-in is on: each login asks for a code from your authenticator app.'
      : s.required ? 'This hub requires admins to use two-factor sign-in: set it up here before anything else is available.'
        : 'Two-factor sign-in is off.';
    $('mfa-begin').hidden = s.enabled;
    return s;
  }

  async function openMfa(message = '') {
    mfaSay(message);
    $('mfa-secret').hidden = true;
    $('mfa-dialog').showModal();
    try { await drawMfa(); } catch (err) { mfaSay(err.message); }
  }

  $('mfa-open').addEventListener('click', () => openMfa());
  $('mfa-close').addEventListener('click', () => $('mfa-dialog').close());
  $('mfa-dialog').addEventListener('close', () => {
    $('mfa-secret-value').textContent = '';
    $('mfa-uri').removeAttribute('href');
    $('mfa-secret').hidden = true;
  });
  $('mfa-begin').addEventListener('click', async () => {
    try {
      const r = await usersApi.beginMfa();
      $('mfa-secret-value').textContent = r.secret.replace(/(.{4})/g, '$1 ').trim();
      $('mfa-uri').href = r.uri;
      $('mfa-secret').hidden = false;
      mfaSay('');
      $('mfa-confirm-form').elements.code.focus();
    } catch (err) { mfaSay(err.message); }
  });
  $('mfa-confirm-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = e.target.elements.code;
    const code = input.value.replace(/\s+/g, '');
    input.value = '';
    try {
      await usersApi.confirmMfa(code);
      $('mfa-secret-value').textContent = '';
      $('mfa-secret').hidden = true;
      await drawMfa();
      mfaSay('Two-factor sign-in is on.');
    } catch (err) { mfaSay(err.message); input.focus(); }
  });

  return {
    /** After a login: the buttons this user may use; an admin a --require-mfa hub refuses goes to enrolment. */
    async start(user) {
      me = user;
      $('users-open').hidden = me.role !== 'admin';
      $('mfa-open').hidden = false;
      try {
        const s = await usersApi.mfa();
        if (s.required && !s.enabled) await openMfa();
      } catch { /* the session's other requests say what is wrong */ }
    },
    stop() {
      me = undefined;
      $('users-open').hidden = true;
      $('mfa-open').hidden = true;
    },
  };
}
