/** An integration id as NewStore defines it: 1..50 lowercase letters, digits or dashes. */
export const INTEGRATION_ID_PATTERN = /^[a-z0-9-]{1,50}$/;

/** Whether `id` can name an integration at all (one that cannot is not looked up). */
export const isIntegrationId = (id: string): boolean => INTEGRATION_ID_PATTERN.test(id);
