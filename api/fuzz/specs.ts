/** What fast-check generates: request specs as pure values (run-time ids are symbolic, resolved when sent). */

import { type BaseName, type Json } from './service.ts';

export type Who = 'coordinator' | 'nurse' | 'other';

/** The Authorization header: a key (by whom) written in some style, or none, or garbage. */
export type AuthSpec =
  | { kind: 'key'; who: Who; style: string }
  | { kind: 'missing' }
  | { kind: 'revoked' }
  | { kind: 'garbage'; text: string }
  | { kind: 'twice'; who: Who };

/** A plan id: one that exists (solved, not yet solved, just submitted, the other tenant's), a random UUID, or a bad shape. */
export type PlanRef =
  { kind: 'solved' | 'pending' | 'recent' | 'otherSolved' | 'random' } | { kind: 'bad'; text: string };

/** A job id; `cross` is a job of a tenant other than the caller's. */
export type JobRef =
  | { kind: 'waiting' | 'recent' | 'cross' | 'random' }
  | { kind: 'numeric'; n: number }
  | { kind: 'bad'; text: string };

export type Segment = string | { plan: PlanRef } | { job: JobRef };

/** How the path is spelt: as is, or percent-encoded, doubled slashes, and so on. */
export type PathStyle =
  | 'plain'
  | 'encode-v1'
  | 'encode-ids'
  | 'upper'
  | 'double-slash'
  | 'trailing-slash'
  | 'dot-segment'
  | 'encoded-slash'
  | 'semicolon';

export type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'rename'; at: number; how: number }
  | { op: 'set'; at: number; value: Json }
  | { op: 'raw'; at: number; text: string }
  | { op: 'extra'; at: number; name: string; value: Json }
  | { op: 'wrap'; at: number }
  | { op: 'dupId'; from: number; to: number }
  | { op: 'ghostRef'; at: number }
  | { op: 'longString'; at: number; length: number; char: string }
  | { op: 'bigList'; field: string; count: number };

/** Changes to the rendered text of a body. */
export type TextOp =
  | { op: 'none' }
  | { op: 'truncate'; fraction: number }
  | { op: 'append'; text: string }
  | { op: 'prepend'; text: string }
  | { op: 'dupKey'; key: string; value: string }
  | { op: 'badBytes'; bytes: number[]; at: number }
  | { op: 'replace'; text: string };

export type BodySpec =
  | { kind: 'none' }
  | { kind: 'problem'; base: BaseName; mutations: Mutation[]; text: TextOp }
  | { kind: 'json'; value: Json; mutations: Mutation[]; text: TextOp }
  | { kind: 'huge'; bytes: number };

export interface RequestSpec {
  /** The route as a label ('POST /v1/plans', or 'other' for unknown routes and methods). */
  route: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';
  segments: Segment[];
  query: string;
  auth: AuthSpec;
  headers: Record<string, string | string[]>;
  /** The Content-Type header; null: none. */
  contentType: string | null;
  body: BodySpec;
  pathStyle: PathStyle;
}
