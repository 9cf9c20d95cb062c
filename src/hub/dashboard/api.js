// The hub's JSON API as the page uses it. The session is an HttpOnly cookie the browser sends by itself:
// this code never sees a token. A password goes out only in the body of a POST, and comes back only to
// reveal.js (an operator's reveal, after a step-up).

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function call(method, path, body) {
  const init = { method, credentials: 'same-origin', cache: 'no-store', headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'the hub does not answer');
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data?.error?.message ?? `HTTP ${res.status}`, data?.error?.code);
  return data;
}

/** UTF-8, then base64: how the API carries password bytes. */
export function toBase64(text) {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

const qs = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

export const api = {
  me: () => call('GET', '/api/me'),
  login: (user, password, code) => call('POST', '/api/login', { user, password: toBase64(password), ...(code ? { code } : {}) }),
  logout: () => call('POST', '/api/logout', {}),
  clients: async () => (await call('POST', '/api/vault/listClients', {})).clients,
  addClient: (client) => call('POST', '/api/vault/addClient', { client }),
  updateClient: (name, change) => call('POST', '/api/vault/updateClient', { name, change }),
  deleteClient: (name) => call('POST', '/api/vault/deleteClient', { name }),
  credentials: async (client) => (await call('POST', '/api/vault/listCredentials', { client })).credentials,
  updateCredential: (client, username, change) => call('POST', '/api/vault/updateCredential', { client, username, change }),
  /** credential: { client, username, password (base64), windowsSync, mode } */
  addCredential: (credential) => call('POST', '/api/vault/addCredential', { credential }),
  deleteCredential: (client, username) => call('POST', '/api/vault/deleteCredential', { client, username }),
  passwordHistory: async (credentialId) => (await call('POST', '/api/vault/listPasswordHistory', { credentialId })).history,
  restorePassword: (credentialId, version) => call('POST', '/api/vault/restorePassword', { credentialId, version }),
  flags: () => call('GET', '/api/dashboard/flags'),
  machines: () => call('GET', '/api/dashboard/machines'),
  findCredential: async (client, username) => (await call('POST', '/api/vault/findCredential', { client, username })).credential,
  // Navigation at scale (src/hub/browse-api.ts): counts, keyset pages, search.
  browseClients: async () => (await call('GET', '/api/dashboard/clients')).clients,
  /** { client, machines, now } */
  client: (name) => call('GET', `/api/dashboard/client${qs({ name })}`),
  /** params: { client, q, match, after, limit } → { credentials, next } */
  browseCredentials: (params) => call('GET', `/api/dashboard/credentials${qs(params)}`),
  /** { events (newest first), next } */
  clientEvents: (client, before, limit = 50) => call('GET', `/api/dashboard/client-events${qs({ client, before, limit })}`),
  /** filters: { machine, account, kind }; with `after` and `waitMs`, a long poll. */
  events: (params) => call('GET', `/api/dashboard/events${qs(params)}`),
};
