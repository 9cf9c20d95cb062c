// Password rotation in the dashboard (docs/rotation.md): a Rotation button on each credential row opens a
// dialog with what applies (the credential's own policy, its client's, or none), when it rotates next or why
// it never does, a form for the credential's own policy or its client's, and "Rotate now". Operators and
// admins may change; everyone may look (the hub checks again). Rotation needs Change Password mode.
import { call, ApiError } from './api.js';
import { h, when } from './dom.js';

const CLASSES = [['upper', 'Upper case'], ['lower', 'Lower case'], ['digit', 'Digits'], ['symbol', 'Symbols']];
const DEFAULTS = { everyDays: 30, afterRead: true, graceMinutes: 60, length: 20, classes: ['upper', 'lower', 'digit', 'symbol'] };

let dialog;

const field = (label, input) => h('label', {}, label, ' ', input);

/** The dialog, made once: title, status of the rotation, the policy form, and the actions. */
function rotationDialog() {
  if (dialog) return dialog;
  const title = h('h2', { id: 'rotation-title' });
  const status = h('p', { id: 'rotation-status' });
  const message = h('p', { role: 'status', class: 'rotation-message' });
  const scope = h('select', { name: 'scope', 'aria-describedby': 'rotation-status' },
    h('option', { value: 'credential' }, 'This credential only'), h('option', { value: 'client' }, 'The whole client (its default)'));
  const everyOn = h('input', { type: 'checkbox', name: 'everyOn' });
  const everyDays = h('input', { type: 'number', name: 'everyDays', min: '1', max: '3650', required: true });
  const afterRead = h('input', { type: 'checkbox', name: 'afterRead' });
  const grace = h('input', { type: 'number', name: 'graceMinutes', min: '0', max: '10080', required: true });
  const length = h('input', { type: 'number', name: 'length', min: '8', max: '256', required: true });
  const classes = CLASSES.map(([v, label]) => h('label', {}, h('input', { type: 'checkbox', name: 'classes', value: v }), ' ', label));
  const save = h('button', { type: 'submit' }, 'Save policy');
  const remove = h('button', { type: 'button', class: 'quiet' }, 'Remove policy');
  const rotateNow = h('button', { type: 'button' }, 'Rotate now');
  const form = h('form', { 'aria-labelledby': 'rotation-title' },
    field('Policy of', scope),
    h('fieldset', {}, h('legend', {}, 'When'),
      h('label', {}, everyOn, ' Every'), ' ', h('label', {}, everyDays, ' days'),
      h('br', {}),
      h('label', {}, afterRead, ' After each password read, once this grace is over:'), ' ', h('label', {}, grace, ' minutes')),
    h('fieldset', {}, h('legend', {}, 'New password'), field('Length', length), h('br', {}), ...classes),
    h('p', {}, save, ' ', remove));
  dialog = h('dialog', { id: 'rotation-dialog', 'aria-labelledby': 'rotation-title' },
    title, status, form, h('p', {}, rotateNow), message,
    h('button', { type: 'button', onclick: () => dialog.close() }, 'Close'));
  Object.assign(dialog, { parts: { title, status, message, form, scope, everyOn, everyDays, afterRead, grace, length, classes, save, remove, rotateNow } });
  document.body.append(dialog);
  return dialog;
}

function describeState(r) {
  if (r.applies === 'none') return 'Not rotated: no policy for this credential or its client.';
  const whose = r.applies === 'own' ? 'its own policy' : 'its client\'s policy';
  if (r.blocked) return `Not rotated (${whose}): ${r.blocked}.`;
  return r.nextRotationAt === null ? `Rotates after each read (${whose}); no read is pending.`
    : `Next rotation: ${when(r.nextRotationAt)} (${whose}).`;
}

function fill(p) {
  const d = dialog.parts;
  d.everyOn.checked = p.everyDays !== null;
  d.everyDays.value = String(p.everyDays ?? DEFAULTS.everyDays);
  d.afterRead.checked = p.afterRead;
  d.grace.value = String(p.graceMinutes);
  d.length.value = String(p.length);
  for (const c of d.classes) c.querySelector('input').checked = p.classes.includes(c.querySelector('input').value);
}

function policyFromForm() {
  const d = dialog.parts;
  return {
    everyDays: d.everyOn.checked ? Number(d.everyDays.value) : null,
    afterRead: d.afterRead.checked,
    graceMinutes: Number(d.grace.value),
    length: Number(d.length.value),
    classes: d.classes.map((c) => c.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
  };
}

/** Open the rotation of `cred`. `canChange`: operator or admin. `on.changed()` after a change, `on.failed(err)` for a lost session. */
export async function openRotation(cred, canChange, on) {
  const d = rotationDialog();
  d.parts.title.textContent = `Rotation: ${cred.username} (${cred.client})`;
  d.parts.message.textContent = '';
  for (const el of [...d.parts.form.elements, d.parts.rotateNow]) el.disabled = !canChange;
  const lost = (err) => { if (err instanceof ApiError && err.status === 401) { d.close(); on.failed(err); return true; } return false; };
  let current;
  const load = async () => {
    try {
      current = await call('POST', '/api/rotation/credential', { credentialId: cred.id });
    } catch (err) {
      if (!lost(err)) d.parts.message.textContent = `Not loaded: ${err.message}`;
      return;
    }
    d.parts.status.textContent = describeState(current);
    const shown = d.parts.scope.value === 'client' ? current.clientPolicy : current.own ?? current.clientPolicy;
    fill(shown?.policy ?? DEFAULTS);
  };
  const act = async (what, fn) => {
    d.parts.message.textContent = '';
    try {
      d.parts.message.textContent = await fn();
      on.changed();
    } catch (err) {
      if (!lost(err)) d.parts.message.textContent = `${what}: ${err.message}`;
    }
    await load();
  };
  const setPolicy = (policy) => (d.parts.scope.value === 'client'
    ? call('POST', '/api/rotation/client/set', { client: cred.client, policy })
    : call('POST', '/api/rotation/credential/set', { credentialId: cred.id, policy }));
  d.parts.scope.onchange = () => load();
  d.parts.form.onsubmit = (ev) => {
    ev.preventDefault();
    void act('Not saved', async () => { await setPolicy(policyFromForm()); return 'Policy saved.'; });
  };
  d.parts.remove.onclick = () => act('Not removed', async () => { await setPolicy(null); return 'Policy removed.'; });
  d.parts.rotateNow.onclick = () => act('Not rotated', async () => {
    const r = await call('POST', '/api/rotation/rotate', { credentialId: cred.id });
    return `Rotated: version ${r.credential.version}; the machines get it like any vault change, and the old one is in the history.`;
  });
  d.parts.scope.value = 'credential';
  if (!d.open) d.showModal();
  await load();
}

/** A Rotation button at the end of each credential row (`tr[data-credential]` of `tbody`), and the column's header once. */
export function addRotationButtons(tbody, credentials, canChange, on) {
  const headRow = tbody.closest('table')?.querySelector('thead tr');
  if (headRow && !headRow.querySelector('th[data-rotation]')) {
    headRow.append(h('th', { scope: 'col', 'data-rotation': '' }, h('span', { class: 'visually-hidden' }, 'Rotation')));
  }
  const byId = new Map(credentials.map((c) => [String(c.id), c]));
  for (const row of tbody.querySelectorAll('tr[data-credential]')) {
    const cred = byId.get(row.dataset.credential);
    if (!cred) continue;
    row.append(h('td', {}, h('button', {
      type: 'button', class: 'quiet', 'aria-label': `Rotation: ${cred.username} (${cred.client})`,
      onclick: () => openRotation(cred, canChange, on),
    }, 'Rotation')));
  }
}
