import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { API_BASE } from '../lambdas/handlers/api/routes.ts';
import { JAVA_MISSING_MESSAGE } from './emulators/dynamodb.ts';
import { ENDPOINTS_FILE, LOCAL_DATA_DIR } from './paths.ts';
import { type LocalRuntime, startLocalRuntime } from './runtime.ts';
import { startSettings } from './start-settings.ts';

/** `npm start [-- --fresh]`: the whole service on this machine, state kept in `.local/`. */

const checkPrerequisites = (): void => {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 5)) {
    throw new Error(
      `Node ${process.versions.node} is too old: the local runtime needs Node 22.5+ (fauxqs uses node:sqlite).`,
    );
  }
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) throw new Error(JAVA_MISSING_MESSAGE);
  const version = /version "(\d+)/.exec(`${java.stderr}${java.stdout}`)?.[1];
  if (version && Number(version) < 17) throw new Error(`Found Java ${version}. ${JAVA_MISSING_MESSAGE}`);
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options: { fresh: { type: 'boolean', default: false } } });
  checkPrerequisites();
  const settings = startSettings(process.env);

  const started = performance.now();
  const runtime = await startLocalRuntime({
    dataDir: LOCAL_DATA_DIR,
    port: settings.port,
    fresh: values.fresh,
    env: settings.handlerEnv,
  });
  stopOnSignal(runtime);

  const endpoints = { api: runtime.apiUrl, ...runtime.endpoints };
  await mkdir(LOCAL_DATA_DIR, { recursive: true });
  await writeFile(ENDPOINTS_FILE, `${JSON.stringify(endpoints, null, 2)}\n`);
  console.log(
    [
      `Event stream running locally (started in ${((performance.now() - started) / 1000).toFixed(1)} s).`,
      '',
      `  API           ${runtime.apiUrl}${API_BASE}`,
      '  Token         npm run -s token            (all scopes; --scope eventstream/read, --expires 3600)',
      `  Console       ${runtime.apiUrl}/console/   (sign in with a token from npm run -s token)`,
      `  Try           curl -H "Authorization: Bearer $(npm run -s token)" ${runtime.apiUrl}${API_BASE}`,
      settings.insecureCallbacks
        ? '  Callbacks     http and private addresses allowed (ALLOW_INSECURE_CALLBACKS=false: the deployed SSRF guard)'
        : '  Callbacks     https and public addresses only, as deployed (ALLOW_INSECURE_CALLBACKS=false)',
      '',
      `  DynamoDB      ${runtime.endpoints.dynamodb}   (listens on all interfaces: DynamoDB Local has no option for loopback only)`,
      `  SQS, S3       ${runtime.endpoints.sqs}   (SQS: useQueueUrlAsEndpoint false; S3: forcePathStyle)`,
      `  Secrets Mgr   ${runtime.endpoints.secretsmanager}`,
      `  Data          ${LOCAL_DATA_DIR}   (npm start -- --fresh starts empty; endpoints in endpoints.json)`,
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
};

const stopOnSignal = (runtime: LocalRuntime): void => {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second Ctrl-C while DynamoDB Local is still shutting down.
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed terminal: without this the DynamoDB Local JVM would outlive us.
  process.on('SIGHUP', onSignal);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
