"use strict";
// One field of config.json, read as written (not merged with the defaults) and set or removed with every
// other field kept. install uses it for `serviceAccount` when the service runs as an account it did not
// create, so the service knows never to reconcile that account.
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.configField = configField;
exports.setConfigField = setConfigField;
const fs = __importStar(require("node:fs"));
const config_1 = require("../config/config");
const atomic_file_1 = require("../platform/linux/atomic-file");
function readObject(dataDir) {
    const file = (0, config_1.configPath)(dataDir);
    if (!fs.existsSync(file))
        return undefined;
    return JSON.parse(fs.readFileSync(file, 'utf8'));
}
/** The field as config.json has it, or undefined when the file or the field is absent. */
function configField(dataDir, name) {
    return readObject(dataDir)?.[name];
}
/** Set the field (undefined: remove it); the file is created when missing, and removed when `removeIfEmpty` and nothing is left. */
function setConfigField(dataDir, name, value, removeIfEmpty = false) {
    const current = readObject(dataDir) ?? {};
    if (value === undefined)
        delete current[name];
    else
        current[name] = value;
    const file = (0, config_1.configPath)(dataDir);
    if (removeIfEmpty && Object.keys(current).length === 0)
        fs.rmSync(file, { force: true });
    else
        (0, atomic_file_1.writeFileAtomic)(file, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
}
//# sourceMappingURL=config-field.js.map