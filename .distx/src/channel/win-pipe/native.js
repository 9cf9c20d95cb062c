"use strict";
// What crosses into pwbridge_pipe.node (native/win-pipe/addon.c), typed: the only file that says what the
// addon takes and gives. Types only, so importing it loads nothing.
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=native.js.map