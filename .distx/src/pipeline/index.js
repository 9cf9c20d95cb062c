"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isValidUtf8 = exports.normalisePassword = exports.exclusionReason = exports.retryTicks = exports.backoffDelay = exports.serialPerKey = exports.createJournalProcessor = void 0;
// The journal → vault pipeline's public face.
var process_journal_1 = require("./process-journal");
Object.defineProperty(exports, "createJournalProcessor", { enumerable: true, get: function () { return process_journal_1.createJournalProcessor; } });
var serial_per_key_1 = require("./serial-per-key");
Object.defineProperty(exports, "serialPerKey", { enumerable: true, get: function () { return serial_per_key_1.serialPerKey; } });
var retry_1 = require("./retry");
Object.defineProperty(exports, "backoffDelay", { enumerable: true, get: function () { return retry_1.backoffDelay; } });
Object.defineProperty(exports, "retryTicks", { enumerable: true, get: function () { return retry_1.retryTicks; } });
var exclusions_1 = require("./exclusions");
Object.defineProperty(exports, "exclusionReason", { enumerable: true, get: function () { return exclusions_1.exclusionReason; } });
var password_1 = require("./password");
Object.defineProperty(exports, "normalisePassword", { enumerable: true, get: function () { return password_1.normalisePassword; } });
Object.defineProperty(exports, "isValidUtf8", { enumerable: true, get: function () { return password_1.isValidUtf8; } });
//# sourceMappingURL=index.js.map