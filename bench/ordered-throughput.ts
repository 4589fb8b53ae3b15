import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EVENTS_PATH,
  INTEGRATIONS_PATH,
  orderPayload,
  startBenchPipeline,
  waitFor,
} from './pipeline-latency.ts';
import { printTable, progress, recordResults } from './report.ts';

export interface OrderedBenchOptions {
  /** Events published, in requests of 100, one request at a time (so publish order is their number). */
  events: number;
  /** Entities the events are spread over, round robin. */
  entities: number;
}

/** Per path, each arrival's entity and number, in arrival order. */
const startOrderReceiver = async () => {
  const arrivals = new Map<string, { entity: string; seq: number }[]>();
  const server = createServer({ keepAlive: true }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { payload: { seq: number } };
      const path = request.url ?? '';
      const list = arrivals.get(path) ?? [];
      list.push({ entity: String(request.headers['event-entity-id']), seq: body.payload.seq });
      arrivals.set(path, list);
      response.writeHead(200, { 'content-length': '0' }).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    distinct: (path: string) => new Set(arrivals.get(path)?.map((arrival) => arrival.seq)).size,
    /** Arrivals that came after a later event of the same entity. */
    inversions: (path: string) => {
      const last = new Map<string, number>();
      let count = 0;
      for (const { entity, seq } of arrivals.get(path) ?? []) {
        if (seq < (last.get(entity) ?? -1)) count++;
        else last.set(entity, seq);
      }
      return count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/**
 * Throughput of one webhook integration with `ordering: "entity"` against the same integration unordered, in
 * the same run through the local runtime: the same events (spread over `entities` entities) published the same
 * way. Also counts the order inversions each receiver saw. Goes to bench/results.json under `ordering`.
 */
export const benchOrderedThroughput = async ({ events, entities }: OrderedBenchOptions): Promise<void> => {
  progress('ordering: starting the local runtime (emulators, API, pollers)');
  const receiver = await startOrderReceiver();
  const pipeline = await startBenchPipeline({});
  try {
    const run = async (ordering: 'none' | 'entity', offset: number) => {
      const id = `bench-order-${ordering}`;
      const path = `/${id}`;
      const response = await pipeline.call('POST', INTEGRATIONS_PATH, {
        id,
        integration_type: 'permanent',
        callback_parameters: { callback_url: receiver.url(path), ordering },
      });
      if (response.status !== 200) throw new Error(`registration failed: ${response.text}`);
      await pipeline.waitDrained(30_000);
      progress(`ordering: ${events} events over ${entities} entities, ordering "${ordering}"`);
      const started = performance.now();
      for (let first = 0; first < events; first += 100) {
        const batch = Array.from({ length: Math.min(100, events - first) }, (_, n) => {
          const seq = first + n;
          const { name, payload } = orderPayload(offset + seq);
          return { name, entity_id: `ORD-${seq % entities}`, payload: { ...payload, seq } };
        });
        const published = await pipeline.call('POST', EVENTS_PATH, { events: batch });
        if (published.status !== 202)
          throw new Error(`ingest answered ${published.status}: ${published.text}`);
      }
      await waitFor(() => receiver.distinct(path) >= events, 300_000, `${events} events at ${path}`);
      const ms = performance.now() - started;
      // Taken out again, so the next run's fan-out routes to one integration only.
      await pipeline.call('DELETE', `${INTEGRATIONS_PATH}/${id}`);
      return { ms, inversions: receiver.inversions(path) };
    };
    const unordered = await run('none', 0);
    const ordered = await run('entity', 1_000_000);
    const perSecond = (ms: number) => (events * 1000) / ms;
    const ratio = Math.round((unordered.ms / ordered.ms) * 1000) / 1000;
    console.log(
      `\nordered delivery: ${events} events over ${entities} entities to one webhook integration, published in requests of 100 one after another`,
    );
    printTable(
      ['ordering', 'seconds', 'deliveries/s', 'vs unordered', 'order inversions at the receiver'],
      [
        [
          'none',
          (unordered.ms / 1000).toFixed(1),
          perSecond(unordered.ms).toFixed(0),
          '1x',
          String(unordered.inversions),
        ],
        [
          'entity',
          (ordered.ms / 1000).toFixed(1),
          perSecond(ordered.ms).toFixed(0),
          `${ratio}x`,
          String(ordered.inversions),
        ],
      ],
    );
    recordResults('ordering', {
      ordered_vs_unordered: ratio,
      ordered_deliveries_per_second: Math.round(perSecond(ordered.ms)),
      unordered_deliveries_per_second: Math.round(perSecond(unordered.ms)),
      ordered_inversions: ordered.inversions,
      unordered_inversions: unordered.inversions,
    });
  } finally {
    await pipeline.stop();
    await receiver.close();
  }
};
