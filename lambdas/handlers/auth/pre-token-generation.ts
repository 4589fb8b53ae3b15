import type { BasePreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { scopesToSuppress } from '../../domain/operator-access.ts';
import { SCOPES } from '../api/routes.ts';

/**
 * Cognito's pre token generation trigger (event version 2, which can change an access token's scopes):
 * an operator signed in to the console keeps `eventstream/write` only as a member of the writers group.
 * Client-credentials tokens (integrators, producers) never reach it: version 2 runs for user sign-ins only.
 */
export const handler = async <E extends BasePreTokenGenerationV2TriggerEvent<string>>(
  event: E,
): Promise<E> => {
  const suppress = scopesToSuppress(
    event.request.groupConfiguration?.groupsToOverride ?? [],
    event.request.scopes ?? [],
    SCOPES.write,
  );
  event.response = {
    claimsAndScopeOverrideDetails: {
      ...event.response?.claimsAndScopeOverrideDetails,
      accessTokenGeneration: { scopesToSuppress: suppress },
    },
  };
  return event;
};
