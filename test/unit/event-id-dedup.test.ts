import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeliveryMessage, IngestMessage } from '../../lambdas/domain/messages.ts';
import type { IngestRecord } from '../../lambdas/use-cases/fan-out.ts';
import { isoPlus, webhookIntegration } from '../support/memory/fixtures.ts';
import { type MemoryWorld, memoryWorld } from '../support/memory/world.ts';

/** Fans out what the ingest queue holds since `from`, as its poller would; the events routed. */
const fanOutQueued = async (world: MemoryWorld, from: number) => {
  const records: IngestRecord[] = world.queues.ingest.sent.slice(from).map((message) => ({
    messageId: randomUUID(),
    body: message.body,
    sentAt: world.clock.now(),
  }));
  const batch = await world.fanOut.batch(records);
  return Promise.all(records.map((record) => world.fanOut.process(record.messageId, batch)));
};

const deliveriesOf = (world: MemoryWorld) =>
  world.queues.webhook.bodies<DeliveryMessage>().map((message) => message.event_id);

describe('event ids deduplicated across requests (dedupEventIds)', () => {
  it('neither logs nor delivers again a producer id published before in a request composed otherwise', async () => {
    const world = memoryWorld();
    world.integrations.seed(webhookIntegration());
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const event = (id: string) => ({ id, name: 'order.created', payload: { id: `o-${id}` } });
    await world.publisher.publish({ events: [event(a), event(b)] });
    await fanOutQueued(world, 0);
    world.clock.advance(1000);
    const sent = world.queues.ingest.sent.length;
    // A retry composed otherwise: its key by ids differs, so the request is published.
    expect(await world.publisher.publish({ events: [event(a), event(c)] })).toEqual([a, c]);
    const routed = await fanOutQueued(world, sent);
    expect(routed.map((logged) => logged?.id)).toEqual([undefined, c]);
    expect(deliveriesOf(world).sort()).toEqual([a, b, c].sort());
    expect(
      world.eventLog
        .all()
        .map((logged) => logged.id)
        .sort(),
    ).toEqual([a, b, c].sort());
  });

  it('lets the same publish through again (a message handed out twice), and claims no id the API made up', async () => {
    const world = memoryWorld();
    world.integrations.seed(webhookIntegration());
    const given = randomUUID();
    await world.publisher.publish({
      events: [
        { id: given, name: 'order.created', payload: {} },
        { name: 'order.created', payload: {} },
      ],
    });
    const bodies = world.queues.ingest.bodies<IngestMessage>();
    expect(bodies.map((body) => body.id_given)).toEqual([true, undefined]);
    await fanOutQueued(world, 0);
    const again = await fanOutQueued(world, 0);
    expect(again.every((logged) => logged !== undefined)).toBe(true);
    expect([...world.idClaims.claims.keys()]).toEqual([given]);
  });

  it('claims the ids of events from EventBridge, which come without received_at', async () => {
    const world = memoryWorld();
    const id = randomUUID();
    const record = (sentAt: string): IngestRecord => ({
      messageId: randomUUID(),
      body: JSON.stringify({ event: { id, name: 'order.created', payload: {} } }),
      sentAt: new Date(sentAt),
    });
    const now = world.clock.now();
    // EventBridge delivered its event twice: two messages, two SentTimestamps.
    const first = record(isoPlus(now, -2000));
    const second = record(isoPlus(now, -1000));
    const batch = await world.fanOut.batch([first, second]);
    const routed = await Promise.all([first, second].map((r) => world.fanOut.process(r.messageId, batch)));
    expect(routed.filter((logged) => logged !== undefined)).toHaveLength(1);
    expect(world.eventLog.all()).toHaveLength(1);
  });
});
