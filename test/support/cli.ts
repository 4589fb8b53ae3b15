import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `event-stream` command as users run it (`npx event-stream` runs this file). */
export const CLI_BIN = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI as a child process with `env` over a clean environment (no EVENT_STREAM_* of the caller)
 * and resolves with its exit code and output; never rejects on a non-zero exit.
 */
export const runCli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI_BIN, ...args],
      { env: cliEnv(env), timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });

/** Starts a long-running CLI command (`tail`); the caller stops it. */
export const spawnCli = (args: string[], env: Record<string, string> = {}): ChildProcess =>
  spawn(process.execPath, [CLI_BIN, ...args], { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });

const cliEnv = (env: Record<string, string>): NodeJS.ProcessEnv => {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('EVENT_STREAM_')),
  );
  return { ...base, NO_COLOR: '1', ...env };
};
