/**
 * A GET route's query parameters, declared once: the route's handler checks the query string against the
 * declaration (readQuery) and the OpenAPI document lists the same parameters. Checked like a body: an
 * unknown parameter, one given twice, or a value out of range is a 400 naming the parameter.
 */
import { HttpError } from '../http-error';

export type QueryParam =
  | { t: 'integer'; min: number; max: number; description: string }
  /** minLength: 1 unless said (an empty value means nothing to a filter). */
  | { t: 'string'; minLength?: number; maxLength: number; description: string };
export type QueryParams = Readonly<Record<string, QueryParam>>;

export interface CheckedQuery {
  int(name: string): number | undefined;
  str(name: string): string | undefined;
}

/** Refuses unknown and repeated parameters at once; each value is checked when the handler reads it. */
export function readQuery(query: URLSearchParams | undefined, params: QueryParams): CheckedQuery {
  const q = query ?? new URLSearchParams();
  const known = Object.keys(params);
  for (const key of new Set(q.keys())) {
    if (!known.includes(key)) throw new HttpError(400, 'bad-request', `unknown query parameter ${JSON.stringify(key)} (known: ${known.join(', ') || 'none'})`);
    if (q.getAll(key).length > 1) throw new HttpError(400, 'bad-request', `${key} is given more than once`);
  }
  const param = <T extends QueryParam['t']>(name: string, t: T) => {
    const p = params[name];
    if (p?.t !== t) throw new Error(`query parameter ${name} is not declared as ${t}`);
    return p as Extract<QueryParam, { t: T }>;
  };
  return {
    int(name) {
      const { min, max } = param(name, 'integer');
      const raw = q.get(name);
      if (raw === null) return undefined;
      if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
        throw new HttpError(400, 'bad-request', `${name} must be an integer from ${min} to ${max}`);
      }
      return Number(raw);
    },
    str(name) {
      const { minLength = 1, maxLength } = param(name, 'string');
      const raw = q.get(name);
      if (raw === null) return undefined;
      if (raw.length < minLength || raw.length > maxLength) throw new HttpError(400, 'bad-request', `${name} must be ${minLength} to ${maxLength} characters`);
      return raw;
    },
  };
}
