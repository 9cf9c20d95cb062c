// Spool files as a capture writes them (docs/protocol.md "Spool"): a CHANGE body sealed to the bridge's
// key exactly as on the wire, in a PWBS record tagged with K_spool, written as `.<name>.tmp` and renamed.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Encoding, ID_BYTES, type EncodingCode } from '../../src/protocol/constants';
import { spoolKey } from '../../src/protocol/keys';
import { encodeChange, type ChangeBody } from '../../src/protocol/messages';
import { seal } from '../../src/protocol/seal';
import { encodeSpoolRecord } from '../../src/protocol/spool-record';

export interface SpoolEvent {
  account: string;
  password: Buffer;
  capturedAt?: number;
  eventId?: Buffer;
  accountId?: number;
  encoding?: EncodingCode;
}

/** The CHANGE body a capture builds for one event (what ClientSession.change() frames), sealed to `bridgePub`. */
export function sealedChange(bridgePub: Buffer, ev: SpoolEvent): ChangeBody {
  const eventId = ev.eventId ?? randomBytes(ID_BYTES);
  const encoding = ev.encoding ?? Encoding.raw;
  return {
    eventId,
    capturedAt: ev.capturedAt ?? Date.now(),
    accountId: ev.accountId ?? 0xffffffff,
    account: ev.account,
    encoding,
    sealed: seal(ev.password, eventId, Buffer.from(ev.account, 'utf8'), encoding, bridgePub),
  };
}

/** The record bytes for one CHANGE, tagged with the K_spool of `secret`. */
export function spoolRecord(secret: Buffer, change: ChangeBody, machine = 'TESTHOST', kind: 1 | 2 | 3 = 1): Buffer {
  return encodeSpoolRecord({ kind, machine, body: encodeChange(change) }, spoolKey(secret));
}

/** The file name the capture gives an event: `<event id hex>.chg`. */
export function spoolName(change: ChangeBody): string {
  return `${change.eventId.toString('hex')}.chg`;
}

/** Write `bytes` as `dir/name` the way the capture does (temp file, then rename). Returns the path. */
export function writeSpoolFile(dir: string, name: string, bytes: Buffer): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${name}.tmp`);
  fs.writeFileSync(tmp, bytes, { mode: 0o600 });
  const file = path.join(dir, name);
  fs.renameSync(tmp, file);
  return file;
}

/** Seal, record and write one event under its own name. */
export function spoolEvent(dir: string, secret: Buffer, bridgePub: Buffer, ev: SpoolEvent, machine?: string): { file: string; change: ChangeBody; eventIdHex: string } {
  const change = sealedChange(bridgePub, ev);
  const file = writeSpoolFile(dir, spoolName(change), spoolRecord(secret, change, machine));
  return { file, change, eventIdHex: change.eventId.toString('hex') };
}
