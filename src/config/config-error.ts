/** A user error in config or arguments: the CLI prints it and exits with status 2, having changed nothing. */
export class ConfigError extends Error {
  constructor(readonly field: string, problem: string, fix: string) {
    super(`${field}: ${problem}. ${fix}`);
    this.name = 'ConfigError';
  }
}
