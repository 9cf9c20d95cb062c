// A real webhook receiver for the alert tests: plain HTTP on 127.0.0.1, every request kept (headers and
// raw body), answered with a status the test chooses. It can go down and come back on the same port, as a
// receiver that is restarted does. The receiver records a request before it answers, so once the hub's
// delivery has its answer the request is in `received`.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received { headers: http.IncomingHttpHeaders; body: string; json: any } // eslint-disable-line @typescript-eslint/no-explicit-any

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** The status the next requests get (a 302 answers with a Location too). */
  status = 204;
  private server?: http.Server;
  port = 0;

  get url(): string { return `http://127.0.0.1:${this.port}/hooks/pwbridge`; }

  async up(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = JSON.parse(body); } catch { json = undefined; }
        this.received.push({ headers: req.headers, body, json });
        res.writeHead(this.status, this.status >= 300 && this.status < 400 ? { Location: 'https://elsewhere.example/' } : {});
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => { s.close(() => resolve()); s.closeAllConnections(); });
  }
}

/**
 * The receiver's side of docs/alerts.md, written here from the documented rule (not the hub's code):
 * HMAC-SHA256 keyed with the secret's text over `<timestamp>.<body>`, hex, after `v1=`.
 */
export function verifies(r: Received, secret: string): boolean {
  const ts = String(r.headers['x-pwbridge-timestamp'] ?? '');
  const sig = String(r.headers['x-pwbridge-signature'] ?? '');
  const expected = 'v1=' + crypto.createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex');
  return /^\d+$/.test(ts) && sig.length === expected.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}
