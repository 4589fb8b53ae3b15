/**
 * Who may change things in the operator console, deployed: members of one Cognito group. Everyone else
 * who signs in reads only. Pure: the pre token generation trigger applies it to each console sign-in.
 */

/** The Cognito group whose members keep the write scope when they sign in to the console. */
export const CONSOLE_WRITERS_GROUP = 'event-stream-writers';

/**
 * The scopes to take out of a console sign-in's access token: the write scope, unless the user is in
 * `CONSOLE_WRITERS_GROUP`. A default that fails closed: a new operator reads until someone adds them.
 */
export const scopesToSuppress = (
  groups: readonly string[],
  requested: readonly string[],
  writeScope: string,
) => (groups.includes(CONSOLE_WRITERS_GROUP) ? [] : requested.filter((scope) => scope === writeScope));
