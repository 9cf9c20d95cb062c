#!/usr/bin/env node
// Writes pwbridge(8), the manual page, from the CLI's own definition (buildProgram in dist/src/cli/main.js):
// every command and subcommand with its usage, description and options, so the page says what `--help`
// says and cannot fall behind it.
//
//   node packaging/debian/render-man.js VERSION > pwbridge.8
'use strict';
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const { buildProgram } = require(path.join(root, 'dist', 'src', 'cli', 'main.js'));

/** roff text: backslashes escaped, a leading '.' or "'" made literal, '-' as a real hyphen-minus. */
function roff(s) {
  return String(s)
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}

function fullName(cmd) {
  const names = [];
  for (let c = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function optionLines(cmd) {
  const out = [];
  for (const o of cmd.options) {
    if (o.hidden) continue;
    let text = o.description || '';
    if (o.defaultValue !== undefined && o.defaultValue !== false) text += ` (default: ${JSON.stringify(o.defaultValue)})`;
    if (o.argChoices) text += ` (one of: ${o.argChoices.join(', ')})`;
    out.push('.TP', `.B ${roff(o.flags)}`, roff(text));
  }
  return out;
}

function commandSection(cmd) {
  const lines = ['.SS', `.B ${roff(fullName(cmd))} ${roff(cmd.usage())}`.trimEnd()];
  // A command that only groups others (vault, journal, hub-user) still says what it is for.
  lines.push(roff(cmd.description() || ''));
  for (const a of cmd.registeredArguments || []) {
    if (a.description) lines.push('.TP', `.I ${roff(a.name())}`, roff(a.description));
  }
  lines.push(...optionLines(cmd));
  for (const sub of cmd.commands) lines.push(...commandSection(sub));
  return lines;
}

const version = process.argv[2];
if (!version || !/^[0-9][0-9A-Za-z.+~-]*$/.test(version)) {
  process.stderr.write('usage: node packaging/debian/render-man.js VERSION > pwbridge.8\n');
  process.exit(2);
}
const program = buildProgram();
const page = [
  `.TH PWBRIDGE 8 "" "pwbridge ${roff(version)}" "System Administration"`,
  '.SH NAME',
  `pwbridge \\- ${roff(program.description().replace(/^./, (c) => c.toLowerCase()))}`,
  '.SH SYNOPSIS',
  '.B pwbridge',
  '[\\fB\\-\\-data\\-dir\\fR \\fIDIR\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR]',
  '.SH DESCRIPTION',
  roff('pwbridge keeps the passwords of local accounts in step with a credential vault. The PAM module ' +
    'pam_pwbridge.so, which the package enables in the password stack through pam-auth-update, reports every ' +
    'local password change to the pwbridge service (pwbridge.service, which runs "pwbridge run"); the service ' +
    'journals it and writes it to the vault, and reconciles the vault with the local accounts on an interval.'),
  '.PP',
  roff('Passwords are read from standard input only, never from arguments or the environment.'),
  '.SH OPTIONS',
  ...optionLines(program),
  '.SH COMMANDS',
  ...program.commands.flatMap(commandSection),
  '.SH EXIT STATUS',
  roff('0: done. 1: the work failed. 2: the input was refused and nothing changed. 65: a data file (state.db, ' +
    'vault.db) is damaged; a restart cannot mend it.'),
  '.SH FILES',
  '.TP', '.I /var/lib/pwbridge', roff('the data dir: keys, journal, log, socket and the embedded vault (mode 0700; kept by apt remove, deleted by apt purge)'),
  '.TP', '.I /usr/share/pam\\-configs/pwbridge', roff('the pam-auth-update profile that puts pam_pwbridge.so in common-password'),
  '.TP', '.I /lib/systemd/system/pwbridge.service', roff('the service'),
  '.SH SEE ALSO',
  '.BR pam\\-auth\\-update (8),',
  '.BR passwd (1),',
  '.BR chpasswd (8),',
  '.BR systemctl (1)',
  '',
];
process.stdout.write(page.join('\n'));
