#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/config-error';
import { defaultDataDir } from '../config/config';
import { DataFileError } from '../service/data-file-check';
import { UsageError } from './errors';
import { repairStdio } from './stdio';
import { addVersionOption } from './version';
import { registerRun } from './commands/run';
import { registerStatus } from './commands/status';
import { registerEvents } from './commands/events';
import { registerReconcile } from './commands/reconcile';
import { registerVault } from './commands/vault';
import { registerJournal } from './commands/journal';
import { registerSelftest } from './commands/selftest';
import { registerDoctor } from './commands/doctor';
import { registerInstall } from './commands/install';
import { registerUninstall } from './commands/uninstall';
import { registerHub } from './commands/hub';
import { registerHubUser } from './commands/hub-user';
import { registerSetup } from './commands/setup';
import { registerCompletion } from './commands/completion';

/** Exit statuses: 0 done, 1 the work failed, 2 the input was refused (nothing changed), 65 a data file
 * (state.db, vault.db) is damaged: a restart cannot help, so the systemd unit does not restart on 2 or 65. */
export const EXIT_USAGE = 2;
export const EXIT_DATA_FILE = 65;

export function buildProgram(): Command {
  const program = new Command('pwbridge')
    .description('Keeps local account passwords in step with a credential vault')
    .addOption(new Option('--data-dir <dir>', 'where keys, the journal and the embedded vault live').default(defaultDataDir()))
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  addVersionOption(program);
  registerRun(program);
  registerStatus(program);
  registerEvents(program);
  registerReconcile(program);
  registerVault(program);
  registerJournal(program);
  registerSelftest(program);
  registerDoctor(program);
  registerInstall(program);
  registerUninstall(program);
  registerHub(program);
  registerHubUser(program);
  registerSetup(program);
  registerCompletion(program);
  // commander's own errors (unknown option, missing argument) are usage errors too.
  for (const cmd of allCommands(program)) cmd.exitOverride();
  return program;
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

export async function main(argv: string[]): Promise<number> {
  repairStdio();
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version print and end "with an error" in commander; they are not failures.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`pwbridge: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof DataFileError) {
      process.stderr.write(`pwbridge: ${err.message}\n`);
      return EXIT_DATA_FILE;
    }
    process.stderr.write(`pwbridge: ${(err as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
