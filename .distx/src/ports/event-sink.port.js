"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=event-sink.port.js.map