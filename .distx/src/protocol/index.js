"use strict";
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
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
// The capture protocol's public surface (docs/protocol.md).
__exportStar(require("./constants"), exports);
__exportStar(require("./errors"), exports);
__exportStar(require("./frame"), exports);
__exportStar(require("./messages"), exports);
__exportStar(require("./keys"), exports);
__exportStar(require("./seal"), exports);
__exportStar(require("./spool-record"), exports);
__exportStar(require("./server-session"), exports);
__exportStar(require("./client-session"), exports);
//# sourceMappingURL=index.js.map