/**
 * A client for OSRM's `table` service (HTTP API v5, http://project-osrm.org/docs/v5.24.0/api/#table-service):
 * `GET {url}/table/v1/{profile}/{lon,lat;…}?sources=…&destinations=…&annotations=duration,distance`,
 * answered `{code: "Ok", durations, distances}` (seconds and metres, `null` where no road joins
 * two places) or, on a client error, HTTP 400 `{code, message}`: `TooBig` when sources ×
 * destinations exceeds the square of the server's `--max-table-size`. Transient failures (network,
 * time-out, HTTP 429 and 5xx) are retried with a growing pause; the rest fail at once.
 */
export interface OsrmTableOptions {
  /** The service's base URL, or one per profile name (`car`, `bike`, …). */
  url: string | Record<string, string>;
  /** The server's `--max-table-size` (OSRM's default, 100): a request asks at most its square of pairs. */
  maxTableSize?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** One request's time limit (default 10 s). */
  timeoutMs?: number;
  /** Tries after the first, for transient failures (default 2). */
  retries?: number;
  /** Pause before the first retry, doubled at each (default 250 ms). */
  backoffMs?: number;
}

export class OsrmError extends Error {
  constructor(
    message: string,
    /** OSRM's code (`TooBig`, `NoSegment`, `InvalidQuery`…), `HTTP <status>`, `Timeout` or `Network`. */
    readonly code: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

/** OSRM's usual profile names for the engine's built-in ones; any other name is sent as it is. */
const OSRM_PROFILE: Record<string, string> = { car: 'driving', bike: 'cycling', foot: 'walking' };

export interface TableAnswer {
  /** Row-major sources x destinations; NaN where no road joins them. */
  durations: Float64Array;
  distances: Float64Array;
}

export class OsrmTable {
  readonly maxTableSize: number;
  readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(private readonly options: OsrmTableOptions) {
    this.maxTableSize = options.maxTableSize ?? 100;
    this.concurrency = options.concurrency ?? 4;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 250;
  }

  /** The base URL serving `profile`, or null when none is configured for it. */
  urlFor(profile: string): string | null {
    const { url } = this.options;
    const base = typeof url === 'string' ? url : Object.hasOwn(url, profile) ? url[profile] : null;
    return base === null ? null : base.replace(/\/+$/, '');
  }

  /** What identifies the figures a profile's answers hold (its service and path), for the cache. */
  sourceOf(profile: string): string {
    return `${this.urlFor(profile)}/table/v1/${OSRM_PROFILE[profile] ?? profile}`;
  }

  /**
   * Times and distances from each source to each destination (`destinations` null: among the
   * sources). Retries transient failures; throws OsrmError when it gives up or the service refuses.
   */
  async table(
    profile: string,
    sources: [number, number][],
    destinations: [number, number][] | null,
    signal?: AbortSignal,
  ): Promise<TableAnswer> {
    const base = this.urlFor(profile);
    if (base === null) throw new OsrmError(`no routing service for profile '${profile}'`, 'NoService', false);
    const points = destinations === null ? sources : [...sources, ...destinations];
    const coords = points.map(([lon, lat]) => `${lon.toFixed(6)},${lat.toFixed(6)}`).join(';');
    const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i).join(';');
    const query =
      destinations === null
        ? 'annotations=duration,distance'
        : `sources=${range(0, sources.length)}&destinations=${range(sources.length, destinations.length)}&annotations=duration,distance`;
    const url = `${base}/table/v1/${OSRM_PROFILE[profile] ?? profile}/${coords}?${query}`;
    const rows = sources.length;
    const cols = destinations === null ? sources.length : destinations.length;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(url, rows, cols, signal);
      } catch (e) {
        const error = e instanceof OsrmError ? e : new OsrmError(String(e), 'Network', true);
        if (!error.transient || attempt >= this.retries || signal?.aborted === true) throw error;
        await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** attempt));
      }
    }
  }

  private async once(url: string, rows: number, cols: number, signal?: AbortSignal): Promise<TableAnswer> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, { signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) });
    } catch (e) {
      if (timeout.aborted) throw new OsrmError(`no answer within ${this.timeoutMs} ms`, 'Timeout', true);
      throw new OsrmError(`request failed: ${(e as Error).message}`, 'Network', true);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      if (timeout.aborted)
        throw new OsrmError(`no whole answer within ${this.timeoutMs} ms`, 'Timeout', true);
      throw new OsrmError(
        `HTTP ${res.status} without a JSON body`,
        `HTTP ${res.status}`,
        res.status >= 500 || res.status === 429,
      );
    }
    const answer = body as { code?: unknown; message?: unknown; durations?: unknown; distances?: unknown };
    if (!res.ok || answer.code !== 'Ok') {
      const code = typeof answer.code === 'string' ? answer.code : `HTTP ${res.status}`;
      const message = typeof answer.message === 'string' ? answer.message : `HTTP ${res.status}`;
      throw new OsrmError(`${code}: ${message}`, code, res.status >= 500 || res.status === 429);
    }
    return {
      durations: readMatrix(answer.durations, rows, cols, 'durations'),
      distances: readMatrix(answer.distances, rows, cols, 'distances'),
    };
  }
}

/** A rows x cols matrix of numbers or nulls from the answer, flat (null as NaN), or a non-transient error. */
function readMatrix(m: unknown, rows: number, cols: number, name: string): Float64Array {
  const bad = (why: string) => new OsrmError(`the answer's ${name} ${why}`, 'BadAnswer', false);
  if (!Array.isArray(m) || m.length !== rows) throw bad(`is not a list of ${rows} rows`);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row: unknown = m[i];
    if (!Array.isArray(row) || row.length !== cols) throw bad(`row ${i} does not have ${cols} entries`);
    for (let j = 0; j < cols; j++) {
      const x: unknown = row[j];
      if (x === null) out[i * cols + j] = NaN;
      else if (typeof x === 'number' && Number.isFinite(x) && x >= 0) out[i * cols + j] = x;
      else throw bad(`has ${JSON.stringify(x)} at [${i}][${j}]`);
    }
  }
  return out;
}
