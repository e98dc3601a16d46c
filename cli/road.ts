import type { ProblemInput } from '../solver/index.ts';
import { OsrmTable } from '../service/road/osrm-table.ts';
import { MemoryRoadCache } from '../service/road/road-cache.ts';
import { type RoadProblem, withRoadTravel } from '../service/road/road-matrices.ts';
import { parseOsrmUrl } from '../service/road/road-config.ts';
import { integer } from './args.ts';
import { UsageError } from './files.ts';

/** The flags of the commands that time a plan: road travel from an OSRM-compatible service. */
export const ROAD_FLAGS = {
  osrm: { type: 'string' },
  'osrm-table-size': { type: 'string' },
} as const;

/** `--osrm URL` (http or https), or `car=URL,bike=URL` for a service per profile (road-config.ts). */
export function osrmTableOf(values: { osrm?: unknown; 'osrm-table-size'?: unknown }): OsrmTable | null {
  const given = values.osrm as string | undefined;
  if (given === undefined) {
    if (values['osrm-table-size'] !== undefined) throw new UsageError('--osrm-table-size needs --osrm');
    return null;
  }
  let url: string | Record<string, string>;
  try {
    url = parseOsrmUrl(given, '--osrm');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const size = values['osrm-table-size'] as string | undefined;
  return new OsrmTable({
    url,
    ...(size !== undefined && { maxTableSize: integer('--osrm-table-size', size, 2) }),
  });
}

/**
 * The problem with road travel when `--osrm` is given (a line on stderr says how it went, and
 * each warning), else as it is.
 */
export async function roadFor(
  problem: ProblemInput,
  values: { osrm?: unknown; 'osrm-table-size'?: unknown },
  quiet = false,
): Promise<RoadProblem> {
  const table = osrmTableOf(values);
  if (table === null) return { problem, warnings: [] };
  const road = await withRoadTravel(problem, table, new MemoryRoadCache());
  if (!quiet && road.stats !== undefined && road.travel?.source === 'osrm')
    process.stderr.write(
      `hhc: road travel from ${String(values.osrm)}: ${road.stats.places} places, ` +
        `${road.stats.requests} table requests in ${(road.stats.ms / 1000).toFixed(2)} s\n`,
    );
  if (road.travel === undefined)
    process.stderr.write(
      'hhc: --osrm ignored: the problem is not given by lon/lat (or has its own matrices)\n',
    );
  for (const w of road.warnings) process.stderr.write(`hhc: warning: ${w.message} [${w.code}]\n`);
  return road;
}
