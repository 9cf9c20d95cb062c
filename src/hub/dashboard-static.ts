/**
 * The dashboard's files (src/hub/dashboard/: one HTML page, a stylesheet, a few ES modules), read once
 * when the hub starts and served from memory: `GET /` is the page, `GET /dashboard/<file>` the rest.
 * Only names from that folder are served, so no request path ever reaches the file system.
 *
 * Where the files are: the source tree when the hub runs from a checkout (so an edit shows after a
 * restart, without a build), else the copy `npm run build` puts next to the compiled hub (dist/src/hub/dashboard).
 *
 * Every answer carries a strict Content-Security-Policy: scripts and styles from this origin only (no
 * inline script, no eval), requests to this origin only, no framing, no plugins. The page has no inline
 * script or style for that reason.
 */
import * as fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import * as path from 'node:path';

export const DASHBOARD_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
  "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // A new hub version's files are fetched again; nothing about them is secret, but stale ones confuse.
  'Cache-Control': 'no-cache',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface DashboardFiles {
  /** Where the files were read from; undefined when no folder was found (the hub still serves its API). */
  dir?: string;
  /** The folders looked in, for the message when none had the page. */
  tried: string[];
  get(urlPath: string): { body: Buffer; type: string } | undefined;
}

/** Candidate folders, first found wins: the source tree of a checkout, then the build's copy. */
export function dashboardDirs(): string[] {
  return [path.resolve(__dirname, '../../../src/hub/dashboard'), path.join(__dirname, 'dashboard')];
}

export function loadDashboard(dirs: string[] = dashboardDirs()): DashboardFiles {
  const dir = dirs.find((d) => fs.existsSync(path.join(d, 'index.html')));
  const files = new Map<string, { body: Buffer; type: string }>();
  if (dir) {
    for (const name of fs.readdirSync(dir)) {
      const type = TYPES[path.extname(name)];
      if (!type || !/^[a-z0-9-]+\.[a-z]+$/.test(name)) continue;
      const body = fs.readFileSync(path.join(dir, name));
      files.set(name === 'index.html' ? '/' : `/dashboard/${name}`, { body, type });
    }
  }
  return { dir, tried: dirs, get: (urlPath) => files.get(urlPath === '/index.html' ? '/' : urlPath) };
}

export function sendAsset(res: ServerResponse, asset: { body: Buffer; type: string }, head: boolean): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.type, 'Content-Length': String(asset.body.length) });
  res.end(head ? undefined : asset.body);
}
