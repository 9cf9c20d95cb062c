// Webhook alerts, for admins (#/alerts; src/hub/api/alert-routes.ts): the settings form, the signing
// secret shown once after it is generated (the hub never shows it again: "copy it now"), a "send test"
// button, and the recent deliveries with their status, a failed one with "send again".
// The form is filled when the view is entered, not on every redraw, so what an admin types is never
// overwritten by the live updates; the deliveries table is redrawn with the view.
import { ApiError, call } from './api.js';
import { h, replaceRows, when } from './dom.js';

const $ = (id) => document.getElementById(id);
const STATUS = { pending: 'Waiting', delivered: 'Delivered', failed: 'Failed (given up)' };

function describeDelivery(d) {
  if (d.status === 'delivered') return `HTTP ${d.lastStatus} at ${when(d.deliveredAt)}`;
  const tried = d.attempts === 0 ? 'not tried yet' : `${d.attempts} attempt(s), last: ${d.lastError ?? `HTTP ${d.lastStatus}`}`;
  return d.status === 'pending' && d.attempts > 0 ? `${tried}; next at ${when(d.nextAttemptAt)}` : tried;
}

/** `ctx`: { notice, failed } from app.js. */
export function createAlerts(ctx) {
  const form = $('alerts-form');
  const message = $('alerts-message');
  const isAuthError = (err) => err instanceof ApiError && err.status === 401;
  const say = (text) => { message.textContent = text; };

  function fill(s) {
    const f = form.elements;
    f.url.value = s?.url ?? '';
    f.enabled.checked = s?.enabled ?? true;
    f.allowHttp.checked = s?.allowHttp ?? false;
    f.silentMinutes.value = String(s?.silentMinutes ?? 60);
    f.rebootDays.value = String(s?.rebootDays ?? 3);
    const kinds = s?.kinds ?? ['mismatch', 'conflict', 'policy-refused', 'machine-silent', 'reboot-pending'];
    for (const box of form.querySelectorAll('input[name="kinds"]')) box.checked = kinds.includes(box.value);
    $('alerts-test').disabled = !s?.enabled;
    $('alerts-configured').textContent = s ? `Last changed by ${s.updatedBy} at ${when(s.updatedAt)}.` : 'Not configured yet: saving makes the signing secret.';
  }

  function showSecret(secret) {
    $('alerts-secret').hidden = !secret;
    $('alerts-secret-value').value = secret ?? '';
  }

  function drawDeliveries(r) {
    $('alerts-counts').textContent = `${r.pending} waiting, ${r.failed} failed`;
    replaceRows($('alerts-deliveries'), r.deliveries.map((d) => h('tr', { 'data-id': d.id, 'data-status': d.status },
      h('td', {}, `#${d.id}`), h('td', {}, d.kind), h('td', {}, when(d.createdAt)), h('td', {}, STATUS[d.status]),
      h('td', {}, describeDelivery(d), h('br'), h('small', {}, d.summary)),
      h('td', {}, d.status === 'failed' ? h('button', { type: 'button', class: 'quiet', onclick: () => requeue(d.id), 'aria-label': `Send alert #${d.id} again` }, 'Send again') : ''),
    )), 'No alerts yet.', 6);
  }

  async function load(withForm) {
    const r = await call('GET', '/api/alerts');
    if (withForm) fill(r.settings);
    drawDeliveries(r);
  }

  async function requeue(id) {
    try {
      await call('POST', '/api/alerts/requeue', { id });
      say(`Alert #${id} will be sent again.`);
      await load(false);
    } catch (err) {
      if (isAuthError(err)) ctx.failed(err); else say(`Not sent again: ${err.message}`);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = form.elements;
    const body = {
      url: f.url.value.trim(), enabled: f.enabled.checked, allowHttp: f.allowHttp.checked,
      kinds: [...form.querySelectorAll('input[name="kinds"]:checked')].map((b) => b.value),
      silentMinutes: Number(f.silentMinutes.value), rebootDays: Number(f.rebootDays.value), newSecret: f.newSecret.checked,
    };
    try {
      const r = await call('POST', '/api/alerts/settings', body);
      f.newSecret.checked = false;
      fill(r.settings);
      showSecret(r.secret);
      say(r.secret ? 'Saved. A new signing secret was made: copy it to your receiver now, it is not shown again.' : 'Saved.');
      await load(false);
      if (r.secret) $('alerts-secret-value').focus();
    } catch (err) {
      if (isAuthError(err)) ctx.failed(err); else say(`Not saved: ${err.message}`);
    }
  });

  $('alerts-test').addEventListener('click', async () => {
    try {
      const r = await call('POST', '/api/alerts/test', {});
      say(`Test alert #${r.delivery.id} queued; its status shows below.`);
      await load(false);
    } catch (err) {
      if (isAuthError(err)) ctx.failed(err); else say(`No test sent: ${err.message}`);
    }
  });

  $('alerts-secret-hide').addEventListener('click', () => showSecret(undefined));

  return {
    /** Admins see the link. */
    enable(user) { $('nav-alerts').hidden = user.role !== 'admin'; },
    /** The view was entered: the form from the hub, the secret from an earlier visit gone. */
    async enter() {
      showSecret(undefined);
      say('');
      try { await load(true); } catch (err) { ctx.failed(err); }
    },
    /** A redraw of the view: the deliveries only. */
    refresh: () => load(false),
  };
}
