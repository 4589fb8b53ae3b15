import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeliveryMessage } from '../../../lambdas/domain/messages.ts';
import { type FanOut, type IngestRecord, InvalidIngestMessage } from '../../../lambdas/use-cases/fan-out.ts';
import { isoPlus, s3Integration, webhookIntegration } from '../../support/memory/fixtures.ts';
import { memoryWorld, TENANT } from '../../support/memory/world.ts';

const setUp = () => {
  const world = memoryWorld();
  return { world, fanOut: world.fanOut };
};

const ingest = (
  receivedAt: string | undefined,
  name = 'order.created',
  id: string = randomUUID(),
): IngestRecord => ({
  messageId: randomUUID(),
  body: JSON.stringify({
    event: { id, name, payload: { id: 'o-1' } },
    ...(receivedAt && { received_at: receivedAt }),
  }),
  sentAt: new Date('2026-11-30T11:59:00.000Z'),
});

const run = async (fanOut: FanOut, records: IngestRecord[]) => {
  const batch = await fanOut.batch(records);
  const results = await Promise.allSettled(records.map((record) => fanOut.process(record.messageId, batch)));
  return { batch, results };
};

describe('FanOut', () => {
  it('logs every event of the batch before it reads the integrations', async () => {
    const { world, fanOut } = setUp();
    world.integrations.seed(webhookIntegration());
    let loggedWhenListed = -1;
    const list = world.integrations.list.bind(world.integrations);
    world.integrations.list = async () => {
      loggedWhenListed = world.eventLog.all().length;
      return list();
    };
    await run(fanOut, [ingest('2026-11-30T11:00:00.000Z'), ingest('2026-11-30T11:00:01.000Z')]);
    expect(loggedWhenListed).toBe(2);
  });

  it('routes an event to each running integration that wants it, by its filters', async () => {
    const { world, fanOut } = setUp();
    const orders = world.integrations.seed(
      webhookIntegration({ filter_conditions: { entity_filter: ['order'] } }),
    );
    world.integrations.seed(webhookIntegration({ filter_conditions: { event_filter: ['item.moved'] } }));
    const s3 = world.integrations.seed(s3Integration());
    const record = ingest('2026-11-30T11:00:00.000Z');
    await run(fanOut, [record]);
    expect(world.queues.webhook.bodies<DeliveryMessage>().map((message) => message.integration_id)).toEqual([
      orders.id,
    ]);
    expect(world.queues.export.bodies<DeliveryMessage>().map((message) => message.integration_id)).toEqual([
      s3.id,
    ]);
  });

  it('notes the earliest missed event for a stopped integration that wanted it, and queues nothing for it', async () => {
    const { world, fanOut } = setUp();
    const stopped = world.integrations.seed(webhookIntegration({ status: 'stopped' }));
    const uninterested = world.integrations.seed(
      webhookIntegration({ status: 'stopped', filter_conditions: { event_filter: ['item.moved'] } }),
    );
    await run(fanOut, [
      ingest('2026-11-30T11:00:05.000Z'),
      ingest('2026-11-30T11:00:01.000Z'),
      ingest('2026-11-30T11:00:09.000Z'),
    ]);
    expect((await world.deliveryState.get(stopped.id)).catch_up_from).toBe('2026-11-30T11:00:01.000Z');
    expect((await world.deliveryState.get(uninterested.id)).catch_up_from).toBeUndefined();
    expect(world.queues.webhook.sent).toEqual([]);
  });

  it('fails an invalid message alone: the rest of the batch is logged and routed', async () => {
    const { world, fanOut } = setUp();
    world.integrations.seed(webhookIntegration());
    const bad: IngestRecord = {
      messageId: 'bad',
      body: '{"event":{"name":"order.created"}}',
      sentAt: new Date(),
    };
    const notJson: IngestRecord = { messageId: 'not-json', body: 'nope', sentAt: new Date() };
    const good = ingest('2026-11-30T11:00:00.000Z');
    const { results } = await run(fanOut, [bad, good, notJson]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.any(InvalidIngestMessage) });
    expect(results[1]?.status).toBe('fulfilled');
    expect(results[2]).toMatchObject({ status: 'rejected', reason: expect.any(InvalidIngestMessage) });
    expect(world.eventLog.all()).toHaveLength(1);
    expect(world.queues.webhook.sent).toHaveLength(1);
  });

  it('takes the queue’s timestamp as the receive time of an event that came without one', async () => {
    const { world, fanOut } = setUp();
    await run(fanOut, [ingest(undefined)]);
    expect(world.eventLog.all()[0]).toMatchObject({
      received_at: '2026-11-30T11:59:00.000Z',
      published_at: '2026-11-30T11:59:00.000Z',
      tenant: TENANT,
    });
  });

  it('logs the same event published twice as one event', async () => {
    const { world, fanOut } = setUp();
    const id = randomUUID();
    const at = isoPlus(world.clock.now(), -1000);
    await run(fanOut, [ingest(at, 'order.created', id), ingest(at, 'order.created', id)]);
    expect(world.eventLog.all()).toHaveLength(1);
  });
});
