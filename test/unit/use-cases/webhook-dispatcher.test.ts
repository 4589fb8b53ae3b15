import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { CallbackParameters } from '../../../lambdas/domain/integration-schema.ts';
import type { ReceiverAuthorizer } from '../../../lambdas/domain/ports/deliveries.ts';
import { WebhookDispatcher } from '../../../lambdas/use-cases/webhook-dispatcher.ts';
import { FakeHttpSender } from '../../support/memory/deliveries.ts';
import { loggedEvent, webhookIntegration } from '../../support/memory/fixtures.ts';
import { memoryWorld } from '../../support/memory/world.ts';

const OAUTH: CallbackParameters = {
  callback_url: 'https://erp.example.com/events',
  oauth: { token_url: 'https://auth.example.com/token', client_id: 'c', client_secret: '****' },
};

/** Hands out `token-1`, `token-2`... and a new one only when asked to refresh; or fails. */
class CountingAuthorizer implements ReceiverAuthorizer {
  issued = 0;
  refreshes = 0;
  failWith: string | undefined;

  async authorization(
    _id: string,
    _params: CallbackParameters,
    _secrets: unknown,
    options?: { refresh?: boolean },
  ) {
    if (this.failWith) throw new Error(this.failWith);
    if (options?.refresh) this.refreshes += 1;
    if (this.issued === 0 || options?.refresh) this.issued += 1;
    return `Bearer token-${this.issued}`;
  }
}

const setUp = () => {
  // Real time: the Standard Webhooks library checks the timestamp against the machine's clock.
  const world = memoryWorld(new Date());
  const authorizer = new CountingAuthorizer();
  const sender = new FakeHttpSender();
  const dispatcher = new WebhookDispatcher({
    secrets: world.secrets,
    sender,
    authorizer,
    clock: world.clock,
    userAgent: 'ua',
  });
  return { world, authorizer, sender, dispatcher };
};

describe('WebhookDispatcher', () => {
  it('posts exactly the event envelope, signed so a Standard Webhooks receiver verifies it', async () => {
    const { world, sender, dispatcher } = setUp();
    const integration = webhookIntegration({ has_secrets: true });
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    await world.secrets.put(integration.id, { signing_secret: secret });
    const event = loggedEvent(world.clock.now().toISOString());
    const result = await dispatcher.dispatch(integration, event);
    expect(result.outcome).toEqual({ kind: 'delivered', status: 200 });
    const [request] = sender.requests;
    const { received_at: _, ...envelope } = event;
    expect(JSON.parse(request?.body ?? '')).toEqual(envelope);
    expect(request?.headers['webhook-id']).toBe(event.id);
    expect(new Webhook(secret).verify(request?.body ?? '', request?.headers ?? {})).toEqual(envelope);
  });

  it('fetches a new OAuth token once after a 401 with a cached one', async () => {
    const { authorizer, sender, dispatcher, world } = setUp();
    sender.answer(401).answer(401);
    const result = await dispatcher.dispatch(
      webhookIntegration({ callback_parameters: OAUTH }),
      loggedEvent(world.clock.now().toISOString()),
    );
    expect(sender.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
    expect(authorizer.refreshes).toBe(1);
    expect(result.outcome.kind).toBe('retry');
  });

  it('counts a failure to get credentials as a failed attempt, to be retried', async () => {
    const { authorizer, sender, dispatcher, world } = setUp();
    authorizer.failWith = 'token endpoint answered 503';
    const result = await dispatcher.dispatch(
      webhookIntegration({ callback_parameters: OAUTH }),
      loggedEvent(world.clock.now().toISOString()),
    );
    expect(result.outcome).toEqual({ kind: 'retry', reason: 'token endpoint answered 503' });
    expect(sender.requests).toEqual([]);
  });
});
