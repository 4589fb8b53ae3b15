/**
 * `npm run soak [-- options]`: the full soak (default 10,000 events, 8 minutes at most). Prints a progress
 * line while it runs and a reconciliation table at the end; exits 1 if an event was lost or wrongly
 * delivered, 2 if the soak itself failed to run.
 *
 *   --events N            events to publish (10000)
 *   --minutes M           time limit, stops by itself (8)
 *   --publish-seconds S   spread publishing over S seconds (40 % of the limit)
 *   --fault-rate R        share of webhook requests answered with a fault (0.3)
 *   --crash-rate R        share of handler invocations that crash (0.1)
 *   --outage-seconds S    how long one receiver is down (60 % of publishing)
 *   --stopped-seconds S   how long two integrations stay stopped (25 % of publishing)
 *   --no-restart          do not restart fauxqs and the Secrets Manager endpoint
 *   --persistent          emulators keep state in a temporary directory (fauxqs restarts from disk)
 *   --seed N              repeat a run's fault decisions
 *   --verbose             handler logs at WARN
 */
import { parseArgs } from 'node:util';
import { formatProgress, formatReport, runSoak, type SoakOptions } from './soak.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    minutes: { type: 'string' },
    'publish-seconds': { type: 'string' },
    'fault-rate': { type: 'string' },
    'crash-rate': { type: 'string' },
    'outage-seconds': { type: 'string' },
    'stopped-seconds': { type: 'string' },
    'no-restart': { type: 'boolean' },
    persistent: { type: 'boolean' },
    seed: { type: 'string' },
    verbose: { type: 'boolean' },
  },
});

const number = (name: keyof typeof values, scale = 1): number | undefined => {
  const raw = values[name];
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  const parsed = Number(raw);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative number`);
  return parsed * scale;
};

const timeLimitMs = number('minutes', 60_000) ?? 8 * 60_000;
const interactive = process.stderr.isTTY === true;
let lastLine = 0;
const options: SoakOptions = {
  timeLimitMs,
  ...defined('events', number('events')),
  ...defined('publishDurationMs', number('publish-seconds', 1000)),
  ...defined('faultRate', number('fault-rate')),
  ...defined('crashRate', number('crash-rate')),
  ...defined('outageMs', number('outage-seconds', 1000)),
  ...defined('stoppedMs', number('stopped-seconds', 1000)),
  ...defined('seed', number('seed')),
  restartEmulators: !values['no-restart'],
  persistent: values.persistent === true,
  ...(values.verbose ? { handlerLogLevel: 'WARN' } : {}),
  log: (line) => {
    process.stderr.write(
      `${interactive ? '\r\x1b[K' : ''}${new Date().toISOString().slice(11, 19)} ${line}\n`,
    );
  },
  onProgress: (progress) => {
    if (interactive) {
      process.stderr.write(`\r\x1b[K${formatProgress(progress)}`);
    } else if (Date.now() - lastLine >= 10_000 || progress.phase === 'stopping') {
      // Logs and CI: a line every 10 s rather than a redrawn one.
      lastLine = Date.now();
      process.stderr.write(`${formatProgress(progress)}\n`);
    }
  },
};

function defined<K extends keyof SoakOptions>(
  key: K,
  value: SoakOptions[K] | undefined,
): Partial<SoakOptions> {
  return value === undefined ? {} : { [key]: value };
}

// The soak bounds itself; this is the backstop should stopping hang (a wedged emulator).
const backstop = setTimeout(() => {
  process.stderr.write('\nsoak: still running a minute past its time limit; exiting\n');
  process.exit(2);
}, timeLimitMs + 60_000);
backstop.unref();

try {
  const result = await runSoak(options);
  if (interactive) process.stderr.write('\n');
  process.stdout.write(`${formatReport(result)}\n`);
  process.exitCode = result.ok ? 0 : 1;
} catch (error) {
  process.stderr.write(`\nsoak failed to run: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 2;
}
