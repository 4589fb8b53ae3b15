/**
 * Event names are `entity.event` in lowercase snake case (`order.created`,
 * `fulfillment_request.items_completed`); the entity is the part before the first dot.
 */
export const ENTITY_PATTERN = /^[a-z][a-z0-9_]*$/;
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
export const MAX_NAME_LENGTH = 128;

/** The entity an event belongs to: the part of its name before the first dot. */
export const entityOf = (eventName: string): string => eventName.slice(0, eventName.indexOf('.'));
