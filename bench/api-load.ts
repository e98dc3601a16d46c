/**
 * Load on the planning API while a solve runs: starts `hhc serve --with-worker` (the API and a
 * worker in one process, the solver in a worker thread) on loopback, submits the 60-nurse
 * generated day with a long time limit, and once the solve is running, sends GET requests for a
 * nurse's route from this second process with autocannon. Prints requests per second and
 * latency percentiles, with and without the solve running. Then the same pulls and /healthz
 * while maximal problems (5,000 nurses, 20,000 visits each needing a skill set of its own,
 * about 9 MB) are submitted back to back and parsed and validated (each is refused at its very
 * last visit, so it is read whole and nothing is queued). Needs Redis (REDIS_URL).
 *   node --import tsx bench/api-load.ts [--seconds 10] [--connections 20] [--out results/api.json]
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createApiKey } from '../service/api-keys.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    /** Also write the figures as JSON (the report reads bench/results/api.json). */
    out: { type: 'string' },
  },
});
const port = 3190;
const base = `http://127.0.0.1:${port}`;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `hhcload:${process.pid}`;
const queueName = `hhc-solve-load-${process.pid}`;
const key = await createApiKey(redis, { tenant: 'load-test', role: 'coordinator' }, prefix);
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const server = spawn(
  process.execPath,
  [fileURLToPath(new URL('../cli/hhc.js', import.meta.url)), 'serve', '--with-worker'],
  {
    env: {
      ...process.env,
      PORT: String(port),
      RATE_LIMIT: '100000000',
      HHC_PREFIX: prefix,
      HHC_QUEUE: queueName,
    },
    stdio: 'ignore',
  },
);
// Whatever ends this process (an error included), the server goes with it.
process.on('exit', () => server.kill('SIGKILL'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
for (let k = 0; k < 100; k++) {
  if ((await fetch(`${base}/healthz`).catch(() => null))?.ok) break;
  await sleep(100);
}
const dayOf = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/care/${name}.json`, import.meta.url)), 'utf8');
const post = (body: string, limit: number) =>
  fetch(`${base}/v1/plans?timeLimit=${limit}`, { method: 'POST', headers, body }).then(
    (r) => r.json() as Promise<{ planId: string; jobId: string }>,
  );
const state = (jobId: string) =>
  fetch(`${base}/v1/jobs/${jobId}`, { headers }).then(
    (r) => r.json() as Promise<{ state: string; bestCost: number | null }>,
  );

// A small day solved first: its routes are what the phones ask for.
const small = await post(dayOf('example-day'), 1);
while ((await state(small.jobId)).state !== 'completed') await sleep(100);
const url = `${base}/v1/plans/${small.planId}/nurses/claire/route`;

const loadOf = async (target: string, label: string, connections = Number(values.connections)) => {
  const r = await autocannon({
    url: target,
    headers: { authorization: headers.authorization },
    connections,
    duration: Number(values.seconds),
  });
  const line = {
    label,
    requestsPerSecond: Math.round(r.requests.average),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    maxMs: r.latency.max,
    errors: r.errors,
    non2xx: r.non2xx,
  };
  console.log(JSON.stringify(line));
  return line;
};
const load = (label: string) => loadOf(url, label);
const idle = await load('idle');
const busy = await post(dayOf('had-60n-600v'), 120);
while ((await state(busy.jobId)).state !== 'active') await sleep(100);
await sleep(1500); // the solver is running in its thread
const during = await load('while solving 60 nurses / 600 visits');
const after = await state(busy.jobId);
console.log(JSON.stringify({ solveStillRunning: after.state === 'active', bestCostSoFar: after.bestCost }));
await fetch(`${base}/v1/jobs/${busy.jobId}`, { method: 'DELETE', headers });

/** A problem at the default limits, refused only by a bad value in its very last visit. */
function maximalProblem(): string {
  const nurses = Array.from({ length: 5000 }, (_, i) => ({
    id: `n${i}`,
    start: { lon: 3 + (i % 50) / 100, lat: 50.5 + Math.floor(i / 50) / 500 },
    shift: { start: 420, end: 1020 },
    skills: ['RN', `s${i % 400}`, `t${i % 37}`],
  }));
  const visits = Array.from({ length: 20_000 }, (_, i) => ({
    id: `v${i}`,
    patient: `p${i}`,
    address: `${i} rue de la Paix, 59000 Lille`,
    notes: 'x'.repeat(250), // the whole body just under the 10 MiB limit
    location: { lon: 3 + (i % 100) / 200, lat: 50.5 + Math.floor(i / 100) / 1000 },
    duration: 30,
    skills: ['RN', `s${i % 400}`, `t${i % 37}`],
    timeWindows: [{ start: 480, end: 720 }],
  }));
  visits[visits.length - 1].duration = -1;
  return JSON.stringify({ nurses, visits });
}
const maximal = maximalProblem();
let submitting = true;
let submitted = 0;
const submitter = async () => {
  while (submitting) {
    const r = await fetch(`${base}/v1/plans`, { method: 'POST', headers, body: maximal });
    if (r.status !== 400) throw new Error(`a maximal problem got ${r.status}, expected 400`);
    await r.text();
    submitted++;
  }
};
const submitters = [submitter(), submitter()];
const [healthWhile, routeWhile] = await Promise.all([
  loadOf(`${base}/healthz`, '/healthz while maximal problems are validated'),
  loadOf(url, 'route pulls while maximal problems are validated'),
]);
submitting = false;
await Promise.all(submitters);
const maximalRow = { megabytes: +(maximal.length / 1e6).toFixed(1), submittedAndValidated: submitted };
console.log(JSON.stringify(maximalRow));
console.table([idle, during, healthWhile, routeWhile]);
if (values.out)
  writeFileSync(
    values.out,
    JSON.stringify(
      {
        settings: { seconds: Number(values.seconds), connections: Number(values.connections) },
        rows: [idle, during, healthWhile, routeWhile],
        maximal: maximalRow,
      },
      null,
      1,
    ) + '\n',
  );
server.kill('SIGTERM');
await sleep(500);
const queue = new Queue(queueName, { connection: { host: redis.options.host, port: redis.options.port } });
await queue.obliterate({ force: true });
await queue.close();
for (const k of await redis.keys(`${prefix}:*`)) await redis.del(k);
redis.disconnect();
