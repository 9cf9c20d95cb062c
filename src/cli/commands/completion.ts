import { Argument, type Command } from 'commander';
import { bashCompletionScript } from '../completion/bash';

/** `pwbridge completion bash`: the shell completion script, from this CLI's own command tree. */
export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print the shell completion script (bash): pwbridge completion bash > /usr/share/bash-completion/completions/pwbridge')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash']))
    .action((_shell: string, _o: unknown, cmd: Command) => {
      let root = cmd;
      while (root.parent) root = root.parent;
      process.stdout.write(bashCompletionScript(root));
    });
}
