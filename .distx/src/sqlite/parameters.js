"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.statementParameters = statementParameters;
const NAME_CHAR = /[A-Za-z0-9_\u0080-\uffff]/;
function statementParameters(sql) {
    let anonymous = 0;
    const named = [];
    let i = 0;
    const n = sql.length;
    /** Index just after the closing `close`, where a doubled closer is an escaped one ('it''s'). */
    const skipQuoted = (close, doubled) => {
        let j = i + 1;
        for (;;) {
            const k = sql.indexOf(close, j);
            if (k < 0)
                return n;
            if (doubled && sql[k + 1] === close) {
                j = k + 2;
                continue;
            }
            return k + 1;
        }
    };
    while (i < n) {
        const c = sql[i];
        if (c === "'" || c === '"' || c === '`') {
            i = skipQuoted(c, true);
        }
        else if (c === '[') {
            i = skipQuoted(']', false);
        }
        else if (c === '-' && sql[i + 1] === '-') {
            const k = sql.indexOf('\n', i);
            i = k < 0 ? n : k + 1;
        }
        else if (c === '/' && sql[i + 1] === '*') {
            const k = sql.indexOf('*/', i + 2);
            i = k < 0 ? n : k + 2;
        }
        else if (c === '?') {
            if (/[0-9]/.test(sql[i + 1] ?? '')) {
                throw new RangeError(`numbered parameters (?NNN) are not supported here: use ? or a named parameter in ${sql.slice(0, 80)}`);
            }
            anonymous++;
            i++;
        }
        else if ((c === '@' || c === ':' || c === '$') && !(c === '$' && i > 0 && NAME_CHAR.test(sql[i - 1]))) {
            // ($ may also sit inside an identifier, a$b, where it starts nothing.)
            let j = i + 1;
            while (j < n && NAME_CHAR.test(sql[j]))
                j++;
            if (j > i + 1) {
                const name = sql.slice(i + 1, j);
                if (!named.includes(name))
                    named.push(name);
            }
            i = j;
        }
        else {
            i++;
        }
    }
    return { anonymous, named };
}
//# sourceMappingURL=parameters.js.map