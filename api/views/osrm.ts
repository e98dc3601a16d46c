import osrmTextInstructions from 'osrm-text-instructions';

/** One leg's road route from an OSRM-compatible service: geometry, figures and spoken steps. */
export interface RoadLeg {
  distance: number;
  duration: number;
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  instructions: string[];
}

interface OsrmStep {
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  [k: string]: unknown;
}
interface OsrmResponse {
  code: string;
  routes?: { legs: { distance: number; duration: number; steps: OsrmStep[] }[] }[];
}

const compiler = osrmTextInstructions('v5');

/**
 * Asks `${base}/route/v1/driving/…?steps=true&geometries=geojson` for the legs through the given
 * [lon, lat] points and turns each step into text with osrm-text-instructions in `language`
 * (English when the language has no translation). Null when the service fails or times out.
 */
export async function roadLegs(
  base: string,
  points: [number, number][],
  language: string,
  timeoutMs = 5000,
): Promise<RoadLeg[] | null> {
  const path = points.map(([lon, lat]) => `${lon},${lat}`).join(';');
  const url = `${base.replace(/\/$/, '')}/route/v1/driving/${path}?steps=true&geometries=geojson&overview=false`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return null;
    const body = (await res.json()) as OsrmResponse;
    const legs = body.routes?.[0]?.legs;
    if (body.code !== 'Ok' || legs === undefined) return null;
    const lang = compilerSupports(language) ? language : 'en';
    return legs.map((leg, legIndex) => ({
      distance: leg.distance,
      duration: leg.duration,
      geometry: {
        type: 'LineString',
        coordinates: leg.steps.flatMap((s, k) =>
          k === 0 ? s.geometry.coordinates : s.geometry.coordinates.slice(1),
        ),
      },
      instructions: leg.steps.map((step) =>
        compiler.compile(lang, step as never, { legCount: legs.length, legIndex }),
      ),
    }));
  } catch {
    return null;
  }
}

function compilerSupports(language: string): boolean {
  try {
    compiler.compile(
      language,
      { maneuver: { type: 'depart', modifier: 'straight' }, name: '', mode: 'driving' } as never,
      {},
    );
    return true;
  } catch {
    return false;
  }
}
