"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.promptLine = promptLine;
exports.promptChoice = promptChoice;
/**
 * Asking the person at the terminal: a line (echoed), a secret (not echoed, read as bytes and wiped by
 * the caller), a choice from a list. Only when stdin is a terminal; scripts pipe the answers on stdin.
 */
const errors_1 = require("./errors");
/**
 * One line from the terminal, bytes as typed; echo off for a secret. Ctrl-C or Ctrl-D abandon it.
 * Read with a 'data' listener that is removed afterwards, not `for await`: leaving a `for await` loop
 * destroys the stream, and the next prompt of the same process would fail ("The operation was aborted").
 */
async function promptLine(question, secret) {
    const stdin = process.stdin;
    if (!stdin.isTTY)
        throw new errors_1.UsageError(`${question.trim()} needs a terminal, or the answers on stdin`);
    const bytes = [];
    // Echo off before the question shows: an answer typed (or pasted) at once is never echoed.
    stdin.setRawMode(true);
    process.stderr.write(question);
    try {
        return await new Promise((resolve, reject) => {
            const done = (err, line) => {
                stdin.off('data', onData);
                stdin.off('end', onEnd);
                bytes.fill(0);
                if (err)
                    reject(err);
                else
                    resolve(line);
            };
            const onEnd = () => done(new errors_1.UsageError('stdin closed at the prompt'));
            const onData = (buf) => {
                for (const b of buf) {
                    if (b === 0x0d || b === 0x0a) {
                        process.stderr.write('\n');
                        const out = Buffer.from(bytes);
                        buf.fill(0);
                        return done(undefined, out);
                    }
                    if (b === 0x03 || b === 0x04) {
                        buf.fill(0);
                        process.stderr.write('\n');
                        return done(new errors_1.UsageError('abandoned at the prompt'));
                    }
                    if (b === 0x7f || b === 0x08) {
                        if (bytes.length) {
                            bytes[bytes.length - 1] = 0;
                            bytes.pop();
                            if (!secret)
                                process.stderr.write('\b \b');
                        }
                        continue;
                    }
                    bytes.push(b);
                    if (!secret)
                        process.stderr.write(Buffer.from([b]));
                }
                buf.fill(0);
            };
            stdin.on('data', onData);
            stdin.once('end', onEnd);
            stdin.resume();
        });
    }
    finally {
        stdin.setRawMode(false);
        stdin.pause();
    }
}
/** A 1-based choice from `items`, asked until the answer is one. */
async function promptChoice(question, items) {
    items.forEach((item, i) => process.stderr.write(`  ${i + 1}. ${item}\n`));
    for (;;) {
        const answer = (await promptLine(`${question} [1-${items.length}]: `, false)).toString('utf8').trim();
        const n = Number(answer);
        if (Number.isInteger(n) && n >= 1 && n <= items.length)
            return n - 1;
        process.stderr.write(`pwbridge: answer with a number from 1 to ${items.length}\n`);
    }
}
//# sourceMappingURL=prompt.js.map