/** The API's shared schemas: ids, dates, queries and bodies the routes use (one place, for the OpenAPI document too). */
import { Type } from 'typebox';

/** Plan ids are UUIDs the service makes: any other shape is refused before Redis is asked. */
export const PlanId = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'a plan id (UUID, as returned when the plan was submitted)',
});

/** Job ids: '<plan id>.<problem number>' for submissions and re-plans, '<plan id>.n<time>' for nightly runs (numeric ids of earlier versions too). */
export const JobId = Type.String({
  pattern: '^(?:\\d{1,15}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.n?\\d{1,15})$',
  description: 'a job id, as returned when the job was queued',
});

/** A nurse id as the problem gives it (never part of a Redis key). */
export const NurseId = Type.String({ minLength: 1, maxLength: 200 });

/** A calendar date: the pattern and a real day of a real month. */
export const DateString = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  format: 'date',
  description: 'YYYY-MM-DD, a real date',
});

export const PlanParams = Type.Object({ id: PlanId });
export const VersionParams = Type.Object({ id: PlanId, version: Type.Integer({ minimum: 1, maximum: 1e9 }) });
export const JobParams = Type.Object({ id: JobId });
export const DateParams = Type.Object({ date: DateString });
export const RouteParams = Type.Object({ id: PlanId, nurseId: NurseId });

const timeLimit = Type.Number({
  exclusiveMinimum: 0,
  maximum: 3600,
  description: 'seconds of search (default 10)',
});
const seed = Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 });
const wait = Type.Number({ minimum: 0, maximum: 60, description: 'seconds to wait for the finished plan' });

/** Query of a solve request; unknown parameters are refused. */
export const SolveQuery = Type.Object(
  { timeLimit: Type.Optional(timeLimit), seed: Type.Optional(seed), wait: Type.Optional(wait) },
  { additionalProperties: false },
);
export const DayQuery = Type.Object({ timeLimit: Type.Optional(timeLimit) }, { additionalProperties: false });
export const RouteQuery = Type.Object(
  {
    lang: Type.Optional(
      Type.String({ pattern: '^[a-zA-Z-]{2,10}$', description: 'language of the turn-by-turn text' }),
    ),
    date: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        format: 'date',
        description: 'the day of a plan of several days (default: today in its time zone, else her next day)',
      }),
    ),
  },
  { additionalProperties: false },
);
export const NoQuery = Type.Object({}, { additionalProperties: false });

/**
 * A problem body, for the OpenAPI document: the service parses and validates it in a thread
 * (docs/service.md, "Limits"), with the solver's checks (unknown fields refused, limits); this schema is
 * not compiled (`x-raw-body`).
 */
export const ProblemBody = Type.Object(
  { nurses: Type.Array(Type.Unknown(), { minItems: 1 }), visits: Type.Array(Type.Unknown()) },
  {
    additionalProperties: true,
    'x-raw-body': true,
    description: 'a day in the native problem format (docs/problem-format.md, "The problem format")',
  },
);
