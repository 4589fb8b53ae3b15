import type { BasePreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { CONSOLE_WRITERS_GROUP } from '../../../lambdas/domain/operator-access.ts';
import { handler } from '../../../lambdas/handlers/auth/pre-token-generation.ts';

const signIn = (groups: string[]) =>
  ({
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'eu-west-1',
    userPoolId: 'pool',
    userName: 'operator',
    callerContext: { awsSdkVersion: '3', clientId: 'console' },
    request: {
      userAttributes: {},
      groupConfiguration: { groupsToOverride: groups },
      scopes: ['openid', 'eventstream/read', 'eventstream/write'],
    },
    response: { claimsAndScopeOverrideDetails: {} },
  }) as unknown as BasePreTokenGenerationV2TriggerEvent<'TokenGeneration_HostedAuth'>;

describe('console sign-ins, deployed: groups to scopes', () => {
  it('reads only unless the operator is in the writers group', async () => {
    const reader = await handler(signIn(['support']));
    expect(reader.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toEqual({
      scopesToSuppress: ['eventstream/write'],
    });
    const writer = await handler(signIn([CONSOLE_WRITERS_GROUP]));
    expect(writer.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toEqual({
      scopesToSuppress: [],
    });
  });
});
