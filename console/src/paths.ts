/** API paths the console calls, as the typed client names them. */
export const INTEGRATIONS = '/api/v1/org/integrations/eventstream';
export const INTEGRATION = `${INTEGRATIONS}/{integration_id}` as const;
export const LOGS = `${INTEGRATION}/logs` as const;
export const REJECTED = `${INTEGRATION}/rejected_events` as const;
export const REJECTED_EVENT = `${REJECTED}/{event_id}` as const;
export const DELIVERIES = `${INTEGRATION}/deliveries` as const;
export const EVENTS = '/api/v1/org/events';
export const ORG_DELIVERIES = '/api/v1/org/deliveries';
