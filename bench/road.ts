/**
 * Road matrix benchmark: how long the road matrices of a day take to fetch from an OSRM table
 * service, cold (nothing cached), cached (a re-plan of the same day: everything from Redis) and
 * with one more place (an urgent visit: its chunk's row and column), and whether a plan solved
 * with them passes the checker against the same matrices.
 *
 * The service is the local OSRM-compatible server of the tests (fixtures/osrm/osrm-server.ts),
 * in this process: its own time measuring pairs is printed apart (a real OSRM answers a 100 x 100
 * table in a few ms), so the client's share (requests, cache, assembling) can be read off.
 *
 *   npm run bench:road [-- --day had-300n-3000v] [--table-size 100] [--concurrency 4] [--iterations 200] [--timeout-ms 60000]
 * Needs Redis (REDIS_URL, default 127.0.0.1:6379); keys under a prefix of the run's own, removed after.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startOsrmServer } from '../fixtures/osrm/osrm-server.ts';
import { OsrmTable } from '../service/road/osrm-table.ts';
import { RedisRoadCache } from '../service/road/road-cache.ts';
import { type RoadOutcome, roadMatrices } from '../service/road/road-matrices.ts';
import { checkPlan } from '../solver/check/check-plan.ts';
import { withPlaceMatrices } from '../solver/model/road-places.ts';
import type { ProblemInput } from '../solver/index.ts';
import { createStop } from '../solver/search/stop.ts';
import { solve } from '../solver/solve.ts';

const { values } = parseArgs({
  options: {
    day: { type: 'string', default: 'had-300n-3000v' },
    'table-size': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
    iterations: { type: 'string', default: '200' },
    'timeout-ms': { type: 'string', default: '60000' },
  },
});
const day = JSON.parse(
  readFileSync(new URL(`../fixtures/care/${values.day}.json`, import.meta.url), 'utf8'),
) as ProblemInput;
const size = Number(values['table-size']);
const osrm = await startOsrmServer({ maxTableSize: size });
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `hhc-bench-road-${process.pid}`;
// The local server measures a 1000 x 1000 table in seconds (a real OSRM in about one): a longer time-out than the default 10 s.
const table = new OsrmTable({
  url: osrm.url,
  maxTableSize: size,
  concurrency: Number(values.concurrency),
  timeoutMs: Number(values['timeout-ms']),
});

const rows: string[][] = [];
async function measure(name: string, input: ProblemInput): Promise<RoadOutcome & { kind: 'road' }> {
  const before = { ...osrm.stats };
  const cache = new RedisRoadCache(redis, prefix, 3600); // a new object: what it finds comes from Redis
  const t0 = performance.now();
  const out = await roadMatrices(input, table, cache);
  const ms = performance.now() - t0;
  if (out.kind !== 'road')
    throw new Error(`${name}: ${out.kind === 'fallback' ? out.warnings[0].message : 'not geographic'}`);
  const serverMs = osrm.stats.tableMs - before.tableMs;
  rows.push([
    name,
    String(out.stats.places),
    String(out.stats.requests),
    String(osrm.stats.pairs - before.pairs),
    `${out.stats.cachedBlocks}/${out.stats.cachedBlocks + out.stats.fetchedBlocks}`,
    (ms / 1000).toFixed(2),
    (serverMs / 1000).toFixed(2),
    ((ms - serverMs) / 1000).toFixed(2),
  ]);
  return out;
}

try {
  const cold = await measure('cold', day);
  await measure('cached (same day)', day);
  const urgent: ProblemInput = {
    ...day,
    visits: [...day.visits, { ...day.visits[0], id: 'urgent-1', location: { lon: 2.9871, lat: 50.5432 } }],
  };
  await measure('one more place', urgent);
  const header = ['fetch', 'places', 'requests', 'pairs', 'cached blocks', 'total s', 'server s', 'client s'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`${values.day}, table size ${size}, ${values.concurrency} requests in flight\n`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));

  const t0 = performance.now();
  const problem = withPlaceMatrices(day, cold.places, cold.matrices);
  const attachMs = performance.now() - t0;
  const { plan } = solve(problem, { seed: 1, stop: createStop({ iterations: Number(values.iterations) }) });
  const report = checkPlan(problem, plan);
  console.log(
    `\nproblem with matrices built in ${(attachMs / 1000).toFixed(2)} s; plan of ${values.iterations} iterations: ` +
      `${plan.summary.routes} routes, ${plan.summary.unassigned} unassigned, travel ${plan.summary.travelTime.toFixed(0)} min; ` +
      `checker against the same matrices: ${report.feasible ? 'feasible' : `${report.violations.length} violations`}`,
  );
  if (!report.feasible) process.exitCode = 1;
} finally {
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  redis.disconnect();
  await osrm.close();
}
