// Import and export (POST /api/dashboard/import and /export, src/hub/transfer-api.ts).
//
// Import: the chosen file is read whole and sent as base64 with `dryRun: true`; the hub's answer (created,
// updated, unchanged, refused with the reason, by line) fills a table, and "Import N credentials" sends the
// same bytes for real, only when no row was refused (the hub refuses such a file anyway: all rows or none).
// An encrypted export (its first line says so) asks for its passphrase. The file's bytes are zeroed when
// the dialog closes; the base64 text sent cannot be (a JavaScript string), it is dropped with the request.
//
// Export: without passwords for anyone; with passwords for an admin, encrypted with a passphrase typed twice,
// after re-entering their own password when the hub asks for it (a step-up, as for a reveal). The hub's
// answer becomes a file download; the page never holds the passwords in the clear (only the sealed bytes).
import { ApiError, call, toBase64 } from './api.js';
import { h, replaceRows } from './dom.js';

const $ = (id) => document.getElementById(id);
const SEALED_MAGIC = 'pwbridge-vault-export 1';
const MIN_PASSPHRASE = 8;

/** Bytes to base64 in slices (String.fromCharCode takes only so many arguments at once). */
function bytesToBase64(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function isSealed(bytes) {
  return new TextDecoder().decode(bytes.subarray(0, SEALED_MAGIC.length)) === SEALED_MAGIC;
}

const RESULT = { create: 'Create', update: 'Update', unchanged: 'Unchanged', refused: 'Refused' };

function detailOf(row) {
  switch (row.action) {
    case 'create': return `mode ${row.mode === 'change' ? 'Change Password' : 'Report Mismatches'}, Windows Sync ${row.windowsSync ? 'on' : 'off'}`;
    case 'update': return `changes: ${row.changes.join(', ')}`;
    case 'unchanged': return 'already as in the file';
    default: return `${row.field ? `${row.field}: ` : ''}${row.why}`;
  }
}

const describeCounts = (c) => `${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.refused} refused`;

/** `ctx`: { refresh, notice, failed } from app.js. */
export function createTransfer(ctx) {
  let user;
  let bytes; // the chosen file, zeroed on close
  let opener;
  const importForm = $('import-form');
  const exportForm = $('export-form');
  const apply = $('import-apply');

  const isAuthError = (err) => err instanceof ApiError && err.status === 401;

  function resetImport() {
    bytes?.fill(0);
    bytes = undefined;
    importForm.reset();
    $('import-passphrase').hidden = true;
    $('import-message').textContent = '';
    $('import-table').hidden = true;
    $('import-rows').replaceChildren();
    apply.hidden = true;
    apply.disabled = true;
  }

  function close(dialog) {
    if (dialog.open) dialog.close();
  }

  const body = (dryRun) => {
    const b = { file: bytesToBase64(bytes), dryRun };
    if (!$('import-passphrase').hidden) b.passphrase = toBase64(importForm.elements.passphrase.value);
    return b;
  };

  function showPlan(r) {
    replaceRows($('import-rows'), r.rows.map((row) => h('tr', { class: row.action === 'refused' ? 'refused' : undefined },
      h('td', { class: 'num' }, String(row.line)), h('td', {}, RESULT[row.action]), h('td', {}, row.client ?? ''),
      h('td', {}, row.username ?? ''), h('td', {}, detailOf(row)))), 'No rows.', 5);
    $('import-table').hidden = false;
    const n = r.counts.create + r.counts.update;
    apply.hidden = false;
    apply.disabled = r.counts.refused > 0 || n === 0;
    apply.textContent = `Import ${n} credential${n === 1 ? '' : 's'}`;
    const ignored = r.ignoredColumns.length ? ` Columns not read: ${r.ignoredColumns.join(', ')}.` : '';
    $('import-message').textContent = `Dry run: ${describeCounts(r.counts)}; nothing was changed.${ignored}`
      + (r.counts.refused ? ' Nothing is imported while a row is refused: fix the file and check it again.' : n === 0 ? ' Nothing to import.' : '');
  }

  importForm.elements.file.addEventListener('change', async () => {
    bytes?.fill(0);
    bytes = undefined;
    $('import-table').hidden = true;
    apply.hidden = true;
    $('import-message').textContent = '';
    const file = importForm.elements.file.files[0];
    if (!file) return;
    bytes = new Uint8Array(await file.arrayBuffer());
    $('import-passphrase').hidden = !isSealed(bytes);
    importForm.elements.passphrase.required = isSealed(bytes);
  });

  importForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!bytes) { $('import-message').textContent = 'Choose a file first.'; return; }
    apply.disabled = true;
    $('import-message').textContent = 'Checking…';
    try {
      showPlan(await call('POST', '/api/dashboard/import', body(true)));
    } catch (err) {
      if (isAuthError(err)) { close($('import-dialog')); ctx.failed(err); return; }
      $('import-table').hidden = true;
      apply.hidden = true;
      $('import-message').textContent = `Not checked: ${err.message}`;
    }
  });

  apply.addEventListener('click', async () => {
    if (!bytes) return;
    apply.disabled = true;
    $('import-message').textContent = 'Importing…';
    try {
      const r = await call('POST', '/api/dashboard/import', body(false));
      const c = r.counts;
      const text = `Imported: ${c.create} created, ${c.update} updated, ${c.unchanged} unchanged.`;
      $('import-message').textContent = text;
      apply.hidden = true;
      ctx.notice(text);
      await ctx.refresh();
    } catch (err) {
      if (isAuthError(err)) { close($('import-dialog')); ctx.failed(err); return; }
      $('import-message').textContent = `Not imported: ${err.message}`;
    }
  });

  // ---- export ----

  const wantsPasswords = () => exportForm.elements.kind.value === 'sealed';

  function resetExport() {
    exportForm.reset();
    $('export-secret').hidden = true;
    $('export-step-up').hidden = true;
    $('export-message').textContent = '';
  }

  for (const radio of exportForm.elements.kind) {
    radio.addEventListener('change', () => {
      $('export-secret').hidden = !wantsPasswords();
      $('export-message').textContent = '';
    });
  }

  function download(name, base64, encrypted) {
    const bin = atob(base64);
    const data = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([data], { type: encrypted ? 'application/octet-stream' : 'text/csv' }));
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  exportForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = exportForm.elements;
    const message = $('export-message');
    const passwords = wantsPasswords();
    const req = { passwords };
    if (passwords) {
      if (new TextEncoder().encode(f.passphrase.value).length < MIN_PASSPHRASE) { message.textContent = `The passphrase must be at least ${MIN_PASSPHRASE} bytes.`; return; }
      if (f.passphrase.value !== f.repeat.value) { message.textContent = 'The two passphrases differ.'; return; }
      req.passphrase = toBase64(f.passphrase.value);
    }
    message.textContent = 'Exporting…';
    try {
      if (passwords && !$('export-step-up').hidden) {
        const own = f.own.value;
        f.own.value = '';
        await call('POST', '/api/dashboard/step-up', { password: toBase64(own) });
      }
      const r = await call('POST', '/api/dashboard/export', req);
      download(r.name, r.file, r.encrypted);
      f.passphrase.value = '';
      f.repeat.value = '';
      $('export-step-up').hidden = true;
      message.textContent = `Exported ${r.count} credential${r.count === 1 ? '' : 's'} to ${r.name} (${r.encrypted ? 'encrypted' : 'without passwords'}).`;
    } catch (err) {
      if (isAuthError(err)) { close($('export-dialog')); ctx.failed(err); return; }
      if (err instanceof ApiError && err.code === 'step-up-required') {
        $('export-step-up').hidden = false;
        f.own.focus();
        message.textContent = 'Exporting passwords needs your own hub password: enter it and export again.';
        return;
      }
      message.textContent = `Not exported: ${err.message}`;
    }
  });

  // ---- dialogs ----

  function openDialog(dialog, reset) {
    opener = document.activeElement;
    reset();
    dialog.showModal();
  }
  $('import-open').addEventListener('click', () => openDialog($('import-dialog'), resetImport));
  $('export-open').addEventListener('click', () => {
    openDialog($('export-dialog'), resetExport);
    exportForm.querySelector('input[value=sealed]').disabled = user?.role !== 'admin';
  });
  $('import-close').addEventListener('click', () => close($('import-dialog')));
  $('export-close').addEventListener('click', () => close($('export-dialog')));
  // Escape closes too: whichever way, the file's bytes and the typed secrets go.
  $('import-dialog').addEventListener('close', () => { resetImport(); opener?.focus?.(); });
  $('export-dialog').addEventListener('close', () => { resetExport(); opener?.focus?.(); });

  return {
    /** After login: who may do what (the hub checks again). */
    enable(u) {
      user = u;
      $('import-open').disabled = u.role === 'viewer';
    },
  };
}
