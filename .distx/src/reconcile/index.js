"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.validateReconcileInterval = exports.reconcile$ = exports.reconcileOnce = exports.createReconciler = void 0;
var reconcile_1 = require("./reconcile");
Object.defineProperty(exports, "createReconciler", { enumerable: true, get: function () { return reconcile_1.createReconciler; } });
Object.defineProperty(exports, "reconcileOnce", { enumerable: true, get: function () { return reconcile_1.reconcileOnce; } });
Object.defineProperty(exports, "reconcile$", { enumerable: true, get: function () { return reconcile_1.reconcile$; } });
Object.defineProperty(exports, "validateReconcileInterval", { enumerable: true, get: function () { return reconcile_1.validateReconcileInterval; } });
//# sourceMappingURL=index.js.map