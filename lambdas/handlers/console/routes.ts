/**
 * Where the operator console is served: its page at `/console/`, its files beside it. Public routes (the
 * files hold no data; every API call the page makes carries the operator's token). Pure data, like ROUTES.
 */

export const CONSOLE_PATH = '/console';

/** API Gateway route paths of the console (the greedy variable catches `/console/` and its files). */
export const CONSOLE_ROUTE_PATHS = [CONSOLE_PATH, `${CONSOLE_PATH}/{proxy+}`] as const;

/** Whether a request path is the console's. */
export const isConsolePath = (rawPath: string): boolean =>
  rawPath === CONSOLE_PATH || rawPath.startsWith(`${CONSOLE_PATH}/`);
