/** A refusal of the user's input (arguments, stdin). Printed as is; exit status 2; nothing changed. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
