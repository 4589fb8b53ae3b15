import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/domain/errors.ts';
import { SigningSecrets } from '../../../lambdas/use-cases/signing-secrets.ts';
import {
  HOUR_MS,
  isoPlus,
  loggedEvent,
  s3Integration,
  webhookIntegration,
} from '../../support/memory/fixtures.ts';
import { memoryWorld } from '../../support/memory/world.ts';

const setUp = () => {
  const world = memoryWorld();
  const signing = new SigningSecrets({
    integrations: world.integrations,
    secrets: world.secrets,
    logs: world.logs,
    clock: world.clock,
  });
  const integration = world.integrations.seed(webhookIntegration({ has_secrets: true }));
  return { world, signing, integration };
};

describe('SigningSecrets', () => {
  it('keeps the previous secret signing beside the new one for 24 hours after a rotation', async () => {
    const { world, signing, integration } = setUp();
    const { id } = integration;
    await world.secrets.put(id, { signing_secret: 'whsec_b2xkLXNlY3JldC0wMTIzNDU2Nzg5' });
    const rotated = await signing.rotate(id);
    expect(rotated).toEqual({
      signing_secret: expect.stringMatching(/^whsec_/),
      previous_signing_secret: 'whsec_b2xkLXNlY3JldC0wMTIzNDU2Nzg5',
      previous_signing_secret_expires_at: isoPlus(world.clock.now(), 24 * HOUR_MS),
    });
    // Deliveries during the overlap carry a signature by each secret.
    const current = (await world.integrations.get(id)) ?? integration;
    await world.dispatcher.dispatch(current, loggedEvent(world.clock.now().toISOString()));
    expect(world.sender.requests[0]?.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    world.clock.advance(24 * HOUR_MS);
    expect(await signing.get(id)).toEqual({ signing_secret: rotated.signing_secret });
  });

  it('bumps the integration’s revision, so cached copies of the old secret are read again, and logs it', async () => {
    const { world, signing, integration } = setUp();
    world.clock.advance(1000);
    await signing.rotate(integration.id);
    const stored = await world.integrations.get(integration.id);
    expect(stored).toMatchObject({ version: 2, updated_at: world.clock.now().toISOString() });
    expect(await world.logs.actions(integration.id)).toEqual(['signing_secret_rotated']);
  });

  it('refuses S3 integrations with 400', async () => {
    const { world, signing } = setUp();
    const { id } = world.integrations.seed(s3Integration());
    await expect(signing.get(id)).rejects.toBeInstanceOf(ValidationError);
    await expect(signing.rotate(id)).rejects.toBeInstanceOf(ValidationError);
  });
});
