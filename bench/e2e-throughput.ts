import http from 'node:http';
import {
  EVENTS_PATH,
  INTEGRATIONS_PATH,
  orderPayload,
  startBenchPipeline,
  startTimingReceiver,
  waitFor,
} from './pipeline-latency.ts';
import { printTable, progress, recordResults } from './report.ts';
import { post } from './webhook-contenders.ts';
import { runPool } from './webhook-fixtures.ts';

export interface E2eBenchOptions {
  /** Events published, in requests of 100; each goes to every integration. */
  events: number;
  integrations: number;
  /** Requests in flight in the bare loop. */
  concurrency: number;
}

/**
 * Deliveries per second end to end through the local runtime (publish in requests of 100 → ingest queue →
 * fan-out → webhook queue → delivery → receiver), against a bare keep-alive POST loop that sends the same
 * number of bodies of the same size to the same receiver with `concurrency` requests in flight. The ratio
 * goes to bench/results.json under `e2e`.
 */
export const benchE2eThroughput = async (options: E2eBenchOptions): Promise<void> => {
  const { events, integrations, concurrency } = options;
  progress('e2e: starting the local runtime (emulators, API, pollers)');
  const receiver = await startTimingReceiver();
  const pipeline = await startBenchPipeline({});
  try {
    const paths: string[] = [];
    for (let i = 1; i <= integrations; i++) {
      const path = `/e2e-${i}`;
      const response = await pipeline.call('POST', INTEGRATIONS_PATH, {
        id: `bench-e2e-${i}`,
        integration_type: 'permanent',
        callback_parameters: { callback_url: receiver.url(path) },
      });
      if (response.status !== 200) throw new Error(`registration failed: ${response.text}`);
      paths.push(path);
    }
    const requests = (offset: number, count: number) =>
      Array.from({ length: Math.ceil(count / 100) }, (_, r) =>
        Array.from({ length: Math.min(100, count - r * 100) }, (_, n) => orderPayload(offset + r * 100 + n)),
      );
    const deliver = async (label: string, offset: number, count: number) => {
      const before = paths.map((path) => receiver.distinct(path));
      const started = performance.now();
      // Four publish requests in flight: a steady producer.
      const batches = requests(offset, count);
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < batches.length) {
            const response = await pipeline.call('POST', EVENTS_PATH, { events: batches[next++] });
            if (response.status !== 202)
              throw new Error(`ingest answered ${response.status}: ${response.text}`);
          }
        }),
      );
      await waitFor(
        () => paths.every((path, i) => receiver.distinct(path) - (before[i] ?? 0) >= count),
        300_000,
        `${label}: ${count} events at each of ${integrations} receivers`,
      );
      return performance.now() - started;
    };

    progress('e2e: warm-up (200 events)');
    await deliver('warm-up', 1_000_000, 200);
    progress(`e2e: ${events} events in requests of 100 to ${integrations} webhook integrations`);
    pipeline.resetUsage();
    const pipelineMs = await deliver('measured', 0, events);
    const usage = [...pipeline.usage].map(([name, u]) => [
      name,
      String(u.invocations),
      String(u.records),
      (u.ms / 1000).toFixed(1),
      (u.ms / Math.max(1, u.invocations)).toFixed(0),
    ]);
    const deliveries = events * integrations;

    // The same number of bodies of a delivery's size, to the same receiver, `concurrency` at a time.
    progress(`e2e: bare POST loop, ${deliveries} bodies, ${concurrency} in flight`);
    const body = (n: number) =>
      JSON.stringify({
        id: `bare-${n}`,
        tenant: 'local',
        published_at: new Date().toISOString(),
        ...orderPayload(n),
      });
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const bareStarted = performance.now();
    await runPool(deliveries, concurrency, (n) =>
      post(agent, receiver.url('/bare'), {
        path: '/bare',
        body: body(n),
        headers: { 'content-type': 'application/json' },
      }),
    );
    agent.destroy();
    const bareMs = performance.now() - bareStarted;

    const perSecond = (count: number, ms: number) => (count * 1000) / ms;
    const ratio = Math.round((bareMs / pipelineMs) * 1000) / 1000;
    console.log(
      `\nend-to-end throughput: ${events} events published in requests of 100 to ${integrations} webhook integrations (${deliveries} deliveries), against a bare POST loop of as many bodies at ${concurrency} in flight`,
    );
    printTable(
      ['', 'deliveries', 'seconds', 'deliveries/s', 'vs bare'],
      [
        [
          'local runtime',
          String(deliveries),
          (pipelineMs / 1000).toFixed(1),
          perSecond(deliveries, pipelineMs).toFixed(0),
          `${ratio}x`,
        ],
        [
          'bare POST loop',
          String(deliveries),
          (bareMs / 1000).toFixed(1),
          perSecond(deliveries, bareMs).toFixed(0),
          '1x',
        ],
      ],
    );
    console.log('\ntime in each stand-in function during the measured run (invocations overlap)');
    printTable(['function', 'invocations', 'records', 'seconds', 'ms per invocation'], usage);
    recordResults('e2e', {
      pipeline_vs_bare: ratio,
      deliveries_per_second: Math.round(perSecond(deliveries, pipelineMs)),
    });
  } finally {
    await pipeline.stop();
    await receiver.close();
  }
};
