/**
 * The rule every vault engine applies to a write that comes from a capture (setPasswordFromCapture,
 * createFromCapture): a shared credential, a bare `user` that every machine of the client uses, takes a
 * captured password only when the client says agents may write shared credentials. Off (the default),
 * root on one machine cannot push a password that every machine in Change Password mode then sets.
 */
import { VaultPolicyError } from '../ports/vault.port';

/** A bare `user` (no `MACHINE\`): the credential of that account on every machine of the client. */
export const isShared = (username: string): boolean => !username.includes('\\');

/** Throws VaultPolicyError when the client's options refuse a captured write to this credential. */
export function checkCaptureWrite(client: { name: string; agentsWriteShared: boolean }, username: string): void {
  if (client.agentsWriteShared || !isShared(username)) return;
  throw new VaultPolicyError(`credential "${username}" is shared by every machine of client "${client.name}", and the client `
    + 'does not let agents write shared credentials (agentsWriteShared off): a captured change to it is refused. '
    + 'Set its password in the vault, or turn the option on for the client');
}
