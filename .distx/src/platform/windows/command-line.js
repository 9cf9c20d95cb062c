"use strict";
// A Windows command line from an argv: the service's binary path is one string that the C runtime of
// node.exe splits again (CommandLineToArgvW rules). Quoting per those rules: an argument with a space,
// tab, newline or quote (or an empty one) is wrapped in quotes; backslashes are literal except before a
// quote, where each is doubled and the quote escaped; trailing backslashes inside quotes are doubled.
Object.defineProperty(exports, "__esModule", { value: true });
exports.quoteWindowsArg = quoteWindowsArg;
exports.windowsCommandLine = windowsCommandLine;
function quoteWindowsArg(arg) {
    if (arg.length > 0 && !/[\s"]/.test(arg))
        return arg;
    let out = '"';
    let backslashes = 0;
    for (const ch of arg) {
        if (ch === '\\') {
            backslashes++;
            continue;
        }
        if (ch === '"') {
            out += '\\'.repeat(backslashes * 2 + 1) + '"';
        }
        else {
            out += '\\'.repeat(backslashes) + ch;
        }
        backslashes = 0;
    }
    return `${out}${'\\'.repeat(backslashes * 2)}"`;
}
function windowsCommandLine(argv) {
    return argv.map(quoteWindowsArg).join(' ');
}
//# sourceMappingURL=command-line.js.map