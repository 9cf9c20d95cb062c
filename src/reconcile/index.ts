export { createReconciler, reconcileOnce, validateReconcileInterval } from './reconcile';
export type { ReconcileDeps, ReconcileOptions, ReconcileReport, ReconcileItem, ReconcileAction } from './types';
