"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=journal.port.js.map