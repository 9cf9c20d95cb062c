/**
 * The hub's TLS certificate: the admin's own (`--cert`/`--key`), or a self-signed one made on first start.
 *
 * The self-signed one is made with node:crypto alone: a P-256 key pair from generateKeyPairSync, and the
 * X.509 certificate written here in DER (a small encoder for the few ASN.1 types a certificate needs)
 * and signed with crypto.sign. Node has no API that makes certificates, and the `openssl` CLI is not on
 * every machine a hub may run on (Windows), nor worth a child process and a temp file holding the key.
 * Not @peculiar/x509 (2.2, maintained): 20 packages (4.9 MB) including a dependency-injection container
 * that will not load until the process installs a global `Reflect` polyfill, all to write one fixed
 * certificate whose DER this file builds in about 90 lines (test/hub/cert.test.ts checks it with
 * node:crypto's X509Certificate and openssl).
 * Agents pin the certificate by its SHA-256 fingerprint, so what matters is that it is stable: it is made
 * once and kept in the data dir (the key 0600 in keys/, the certificate in tls/).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createFileOnce } from '../fs/atomic-file';

export interface HubCertificate {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the certificate's DER, as `AB:CD:…` (what the hub prints and agents pin). */
  fingerprint: string;
  /** Where it came from, for the start-up message. */
  source: string;
}

export function certificatePaths(dataDir: string): { cert: string; key: string } {
  return { cert: path.join(dataDir, 'tls', 'hub.crt'), key: path.join(dataDir, 'keys', 'hub-tls.key') };
}

/** `AB:CD:…` from any spelling: upper or lower case hex, with or without colons; undefined if not 32 bytes. */
export function normalizeFingerprint(text: string): string | undefined {
  const hex = text.trim().replace(/:/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}

export function fingerprintOfPem(certPem: string): string {
  return new crypto.X509Certificate(certPem).fingerprint256;
}

/** A key file must be private: the same rule as the vault key (docs/linux.md, "Files and keys"). */
function readPrivateFile(file: string, what: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    throw new Error(`${what} ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (!st.isFile()) throw new Error(`${what} ${file} is not a regular file`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new Error(`${what} ${file} has mode ${mode}; it must not be readable or writable by group or others (chmod 600)`);
  }
  return fs.readFileSync(file, 'utf8');
}

/** The admin's certificate and key, checked to be a pair. */
export function loadCertificate(certFile: string, keyFile: string): HubCertificate {
  const certPem = fs.readFileSync(certFile, 'utf8');
  const keyPem = readPrivateFile(keyFile, 'TLS key');
  let cert: crypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(certPem);
  } catch (err) {
    throw new Error(`--cert ${certFile} is not a PEM certificate (${(err as Error).message})`);
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(keyPem);
  } catch (err) {
    throw new Error(`--key ${keyFile} is not a PEM private key (${(err as Error).message})`);
  }
  if (!cert.checkPrivateKey(key)) throw new Error(`--key ${keyFile} is not the private key of --cert ${certFile}`);
  return { certPem, keyPem, fingerprint: cert.fingerprint256, source: certFile };
}

/**
 * The data dir's self-signed certificate, made on first start. A pair with one half missing is refused
 * rather than replaced: agents pinned the old certificate, so a new one must be a decision.
 */
export function ensureSelfSignedCertificate(dataDir: string, names: string[] = defaultNames()): HubCertificate {
  const p = certificatePaths(dataDir);
  const haveCert = fs.existsSync(p.cert);
  const haveKey = fs.existsSync(p.key);
  if (haveCert !== haveKey) {
    const [has, lacks] = haveCert ? [p.cert, p.key] : [p.key, p.cert];
    throw new Error(`${has} exists but ${lacks} does not; restore it, or remove ${has} to make a new certificate (every agent must then be set up again)`);
  }
  if (!haveCert) {
    const made = makeSelfSigned(names);
    fs.mkdirSync(path.dirname(p.key), { recursive: true, mode: 0o700 });
    fs.mkdirSync(path.dirname(p.cert), { recursive: true, mode: 0o700 });
    writeNew(p.key, made.keyPem, 0o600);
    writeNew(p.cert, made.certPem, 0o644);
  }
  const certPem = fs.readFileSync(p.cert, 'utf8');
  const keyPem = readPrivateFile(p.key, 'TLS key');
  return { certPem, keyPem, fingerprint: fingerprintOfPem(certPem), source: `${p.cert} (self-signed)` };
}

/** A new certificate or key file, whole or not at all; an existing one is never replaced (EEXIST). */
function writeNew(file: string, text: string, mode: number): void {
  createFileOnce(file, text, { mode, ifExists: 'throw' });
}

function defaultNames(): string[] {
  return [...new Set([os.hostname(), 'localhost', '127.0.0.1', '::1'])];
}

const VALID_YEARS = 10;

/** A self-signed P-256 certificate for `names` (host names and IP addresses, the first is the CN). */
export function makeSelfSigned(names: string[], now = new Date()): { certPem: string; keyPem: string } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const name = seq(set(seq(oid('2.5.4.3'), utf8(`pwbridge hub ${names[0]}`))));
  const notBefore = new Date(now.getTime() - 24 * 3600_000); // a machine whose clock is a little behind
  const notAfter = new Date(now.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALID_YEARS);
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f; // positive
  serial[0] |= 0x01; // and no leading zero byte to strip
  const sans = names.map((n) => (net.isIP(n) ? tagged(0x87, ipBytes(n)) : tagged(0x82, Buffer.from(n, 'ascii'))));
  const extensions = seq(
    extension('2.5.29.19', true, seq(bool(true), int(Buffer.from([0])))), // CA, path length 0: agents may use it as --ca
    extension('2.5.29.15', true, bitString(Buffer.from([0x84]), 2)), // digitalSignature, keyCertSign
    extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // serverAuth
    extension('2.5.29.17', false, seq(...sans)),
  );
  const sigAlg = seq(oid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256
  const tbs = seq(
    tagged(0xa0, int(Buffer.from([2]))), // v3
    int(serial),
    sigAlg,
    name,
    seq(time(notBefore), time(notAfter)),
    name,
    spki,
    tagged(0xa3, extensions),
  );
  const signature = crypto.sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const der = seq(tbs, sigAlg, bitString(signature, 0));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return { certPem, keyPem };
}

// ---- DER, just what a certificate needs ------------------------------------------------------------

function tagged(tag: number, body: Buffer): Buffer {
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

const seq = (...items: Buffer[]): Buffer => tagged(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tagged(0x31, Buffer.concat(items));
const utf8 = (s: string): Buffer => tagged(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean): Buffer => tagged(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer): Buffer => tagged(0x04, b);
const bitString = (b: Buffer, unusedBits: number): Buffer => tagged(0x03, Buffer.concat([Buffer.from([unusedBits]), b]));

/** A non-negative INTEGER from big-endian bytes. */
function int(bytes: Buffer): Buffer {
  return tagged(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [];
    for (let v = p; ; v = Math.floor(v / 128)) {
      chunk.unshift((v & 0x7f) | (chunk.length ? 0x80 : 0));
      if (v < 128) break;
    }
    out.push(...chunk);
  }
  return tagged(0x06, Buffer.from(out));
}

/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return d.getUTCFullYear() < 2050 ? tagged(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tagged(0x18, Buffer.from(`${iso}Z`));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function ipBytes(ip: string): Buffer {
  if (net.isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) throw new Error(`cannot put ${ip} in the certificate`);
  return Buffer.from(groups.flatMap((g) => { const v = parseInt(g, 16); return [v >> 8, v & 0xff]; }));
}
