/** What a fuzz run reports: requests sent, failures, counts, and the options of a run. */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';

import { type FuzzKeys, type FuzzService } from './service.ts';
import { type RequestSpec, type Who } from './specs.ts';

export interface Known {
  tenant: string;
  planId: string;
  jobId: string;
}

/** What exists in the store while fuzzing (made again at each reset). */
export interface World {
  solved: Known;
  pending: Known;
  otherSolved: Known;
  day: string;
  recent: (Known & { who: Who })[];
}

/** A request as sent. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface FuzzFailure {
  invariant:
    'no-5xx' | 'issues-on-400' | 'nothing-left-behind' | 'readable-after-202' | 'timeout' | 'inject-error';
  route: string;
  request: SentRequest;
  status: number | null;
  response: string;
  detail: string;
  /** The generated value (replayable with its seed and run number). */
  spec: RequestSpec;
  run: number;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  byStatus: Record<number, number>;
  byRoute: Record<string, Record<number, number>>;
  /** Invariant failures (the first `maxFailures` kept in full). */
  failures: FuzzFailure[];
  failureCount: number;
  /** Distinct failures: invariant, route and status, with a count and the first request. */
  failureKinds: { key: string; count: number; first: FuzzFailure }[];
  resets: number;
  /** Answers slower than `slowMs` (not an invariant: a hint of work done on the event loop). */
  slow: { route: string; ms: number; status: number; request: SentRequest }[];
  durationMs: number;
  requestsPerSecond: number;
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  app: FastifyInstance;
  svc: FuzzService;
  keys: FuzzKeys;
  /** Store and queue are emptied and seeded again every so many requests (keeps the snapshots small); default 1000. */
  resetEvery?: number;
  /** A request longer than this is a failure (no route may wait: `wait` is never positive); default 15 s. */
  timeoutMs?: number;
  /** An answer slower than this is listed in `slow` (default 1000 ms). */
  slowMs?: number;
  /** Failures kept in full (the count goes on); default 200. */
  maxFailures?: number;
  /** Where failing requests are printed as they happen (default console.error; null: silent). */
  log?: ((line: string) => void) | null;
  /** Called every `progressEvery` requests (default 5000). */
  onProgress?: (done: number, report: FuzzReport) => void;
  progressEvery?: number;
  /** Sees every answer (for debugging a generator). */
  onResponse?: (spec: RequestSpec, request: SentRequest, status: number, body: string) => void;
  /** Other arbitrary (default requestArbitrary). */
  arbitrary?: fc.Arbitrary<RequestSpec>;
  /** Sends these requests, in order, instead of generated ones (`runs` and `seed` are then ignored): a replay. */
  replay?: RequestSpec[];
}
