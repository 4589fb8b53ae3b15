import { median, printTable } from './report.ts';
import type { Run } from './webhook-contenders.ts';
import { SQS_BATCH_SIZE } from './webhook-fixtures.ts';

export interface WebhookResults {
  events: number;
  integrations: number;
  concurrency: number;
  invocations: number;
  deliveries: number;
  batches: number;
  rounds: readonly { bare: Run; delivered: Run }[];
  /** AWS calls during the measured handler runs, by `Service.Operation`. */
  requests: readonly [string, { calls: number; ms: number }][];
}

/** What `bench/results.json` holds under `webhook`: the medians over the rounds. */
export type WebhookRatios = {
  /** Handler deliveries per second as a fraction of the bare loop's. */
  handler_vs_bare: number;
  /** CPU time per delivery of the handler over the bare loop's. */
  cpu_ratio: number;
  /**
   * The most `handler_vs_bare` can be at this batch size while an invocation waits for its AWS calls one after
   * the other (the integration read before it sends, the history write before SQS may delete anything): the
   * bare loop's time for the deliveries of one round of invocations over that time plus those calls.
   */
  ceiling_vs_bare: number;
};

const perSecond = (deliveries: number, run: Run) => (deliveries * 1000) / run.ms;
const cpuUsPerDelivery = (deliveries: number, run: Run) => (run.cpuMs * 1000) / deliveries;

/**
 * Throughput per round and its median, then what the handler asked of AWS per delivery; returns the median
 * ratios.
 */
export const printWebhookReport = (results: WebhookResults): WebhookRatios => {
  const { deliveries, rounds } = results;
  console.log(
    `\nWebhook delivery: ${results.events} events × ${results.integrations} integrations = ${deliveries} deliveries per run, ${results.concurrency} in flight` +
      ` (bare loop: ${results.concurrency} keep-alive sockets; handler: ${results.invocations} invocation(s) at a time × ${SQS_BATCH_SIZE} records)\n`,
  );
  const rows = rounds.map(({ bare, delivered }) => ({
    bare: perSecond(deliveries, bare),
    delivered: perSecond(deliveries, delivered),
    bareCpu: cpuUsPerDelivery(deliveries, bare),
    deliveredCpu: cpuUsPerDelivery(deliveries, delivered),
  }));
  const cells = (row: (typeof rows)[number]) => [
    row.bare.toFixed(0),
    row.delivered.toFixed(0),
    `${(row.delivered / row.bare).toFixed(2)}x`,
    row.bareCpu.toFixed(0),
    row.deliveredCpu.toFixed(0),
    `${(row.deliveredCpu / row.bareCpu).toFixed(1)}x`,
  ];
  const middle = (pick: (row: (typeof rows)[number]) => number) => median(rows.map(pick));
  const invocations = results.batches * rounds.length;
  const awsMsPerInvocation = results.requests.reduce((sum, [, { ms }]) => sum + ms, 0) / invocations;
  // One round of invocations delivers `concurrency` messages: the bare loop's time for as many.
  const bareRoundMs = (results.concurrency * 1000) / middle((row) => row.bare);
  const ratios: WebhookRatios = {
    handler_vs_bare: middle((row) => row.delivered / row.bare),
    cpu_ratio: middle((row) => row.deliveredCpu / row.bareCpu),
    ceiling_vs_bare: bareRoundMs / (bareRoundMs + awsMsPerInvocation),
  };
  printTable(
    ['round', 'bare POST/s', 'handler/s', 'handler/bare', 'bare CPU µs', 'handler CPU µs', 'CPU ratio'],
    [
      ...rows.map((row, i) => [String(i + 1), ...cells(row)]),
      [
        'median',
        middle((row) => row.bare).toFixed(0),
        middle((row) => row.delivered).toFixed(0),
        `${ratios.handler_vs_bare.toFixed(2)}x`,
        middle((row) => row.bareCpu).toFixed(0),
        middle((row) => row.deliveredCpu).toFixed(0),
        `${ratios.cpu_ratio.toFixed(1)}x`,
      ],
    ],
  );
  console.log(
    '(CPU µs: this process per delivery, receiver included in both; the emulators run in other processes.)',
  );
  // What the handler adds per delivery besides the POST: requests to AWS, here answered by the emulators.
  console.log(`\nAWS calls by the handler in the measured runs (${invocations} invocations)\n`);
  printTable(
    ['call', 'per invocation', 'per 1,000 deliveries', 'mean ms (emulator)'],
    results.requests.map(([name, { calls, ms }]) => [
      name,
      (calls / invocations).toFixed(2),
      ((calls * 1000) / (deliveries * rounds.length)).toFixed(0),
      (ms / calls).toFixed(1),
    ]),
  );
  console.log(
    `\nCeiling at this batch size: ${awsMsPerInvocation.toFixed(1)} ms of AWS calls per invocation, made one after` +
      ` the other, next to ${bareRoundMs.toFixed(1)} ms for the bare loop to send as many requests: however fast` +
      ` its own code, the handler cannot pass ${ratios.ceiling_vs_bare.toFixed(2)}x the bare loop` +
      ` (it reached ${ratios.handler_vs_bare.toFixed(2)}x).\n`,
  );
  return ratios;
};
