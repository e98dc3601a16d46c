import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Debian's chromium (apt-get install -y chromium), or HHC_CHROMIUM. */
export const CHROMIUM = process.env.HHC_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set HHC_CHROMIUM), as .ci/run does`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface RunningService {
  url: string;
  coordinatorKey: string;
  nurseKey: string;
  demoPlan: string;
  stop(): Promise<void>;
}

/**
 * `hhc serve` in memory mode (a Redis URL nobody answers), as a newcomer starts it: the built web
 * app at `/`, today's demo day solved, the keys it prints.
 */
export async function startService(): Promise<RunningService> {
  if (!existsSync(`${ROOT}/web/dist/index.html`))
    throw new Error('the web app is not built: npm run build:web');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [`${ROOT}/cli/hhc.js`, 'serve'], {
    cwd: ROOT,
    // As `npm start` runs: the compiled dist/ when it is a build of these sources, else the sources.
    env: withoutSourceFlag({
      ...process.env,
      PORT: String(port),
      REDIS_URL: 'redis://127.0.0.1:1',
      NODE_ENV: 'test',
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start:\n${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m =
        /web app: (http:\/\/\S+)\/#key=(\S+) \(today's demo day: plan (\S+)\)\nhhc: a nurse's phone \(claire\): \S+#key=(\S+)/.exec(
          err,
        );
      if (m !== null) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code) => reject(new Error(`the service exited (${code}):\n${err}`)));
  });
  return {
    url: ready[1],
    coordinatorKey: ready[2],
    demoPlan: ready[3],
    nurseKey: ready[4],
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The environment without HHC_FROM_SOURCE (the tests set it for themselves, not for the service they start). */
function withoutSourceFlag(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.HHC_FROM_SOURCE;
  return copy;
}
