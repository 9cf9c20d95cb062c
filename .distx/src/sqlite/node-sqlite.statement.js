"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NodeSqliteStatement = void 0;
exports.translateError = translateError;
const result_codes_1 = require("./result-codes");
class NodeSqliteStatement {
    st;
    params;
    shape = 'object';
    constructor(st, params) {
        this.st = st;
        this.params = params;
    }
    // try/catch written out in these three, not wrapped in a closure: they are the hot path.
    run(...params) {
        const args = this.bind(params);
        try {
            return this.st.run(...args);
        }
        catch (err) {
            throw translateError(err);
        }
    }
    get(...params) {
        const args = this.bind(params);
        let row;
        try {
            row = this.st.get(...args);
        }
        catch (err) {
            throw translateError(err);
        }
        return row === undefined ? undefined : this.toRow(row);
    }
    all(...params) {
        const args = this.bind(params);
        let rows;
        try {
            rows = this.st.all(...args);
        }
        catch (err) {
            throw translateError(err);
        }
        for (let i = 0; i < rows.length; i++)
            rows[i] = this.toRow(rows[i]);
        return rows;
    }
    raw() {
        this.shape = 'array';
        this.st.setReturnArrays(true);
        return this;
    }
    pluck() {
        this.shape = 'first';
        this.st.setReturnArrays(true);
        return this;
    }
    toRow(row) {
        if (this.shape === 'first')
            return value(row[0]);
        if (this.shape === 'array') {
            const a = row;
            for (let i = 0; i < a.length; i++)
                a[i] = value(a[i]);
            return a;
        }
        const out = {};
        const r = row;
        for (const k in r)
            out[k] = value(r[k]);
        return out;
    }
    /**
     * The values as node:sqlite should get them, held to better-sqlite3's rules: positional values match
     * the `?`s in number; named ones come in one plain object (the first argument) that holds every name,
     * and its other keys are ignored; undefined is NULL.
     */
    bind(params) {
        const { anonymous, named } = this.params;
        const bag = params.length > 0 && isPlainObject(params[0]) ? params[0] : undefined;
        const first = bag ? 1 : 0;
        const positional = params.length - first;
        if (positional !== anonymous) {
            throw new RangeError(`Too ${positional < anonymous ? 'few' : 'many'} parameter values were provided`);
        }
        if (named.length > 0 && !bag)
            throw new TypeError('Missing named parameters');
        let out = params;
        if (bag) {
            out = params.slice(named.length > 0 ? 0 : 1);
            if (named.length > 0) {
                const values = {};
                for (const name of named) {
                    if (!(name in bag))
                        throw new RangeError(`Missing named parameter "${name}"`);
                    values[name] = bag[name] === undefined ? null : bag[name];
                }
                out[0] = values;
            }
        }
        for (let i = out.length - positional; i < out.length; i++) {
            if (out[i] === undefined) {
                if (out === params)
                    out = params.slice();
                out[i] = null;
            }
        }
        return out;
    }
}
exports.NodeSqliteStatement = NodeSqliteStatement;
/** A BLOB as a Buffer over node:sqlite's own Uint8Array (its memory is not shared with anything else). */
function value(v) {
    return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
}
function isPlainObject(v) {
    if (typeof v !== 'object' || v === null)
        return false;
    const proto = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
}
/** node:sqlite says ERR_SQLITE_ERROR and the number; give `code` the name better-sqlite3 gives it. */
function translateError(err) {
    const e = err;
    if (e && e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number')
        e.code = (0, result_codes_1.resultCodeName)(e.errcode);
    return err;
}
//# sourceMappingURL=node-sqlite.statement.js.map