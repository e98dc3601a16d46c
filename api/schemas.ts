/** The API's schemas: ids, dates, queries and bodies the routes use (one place, for the OpenAPI document too). */
import { Type } from 'typebox';
import { DEFAULT_TIME_LIMIT, MAX_TIME_LIMIT, NIGHTLY_TIME_LIMIT } from '../service/solve-queue.ts';

/** Plan ids are UUIDs the service makes: any other shape is refused before Redis is asked. */
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
export const PlanId = Type.String({
  pattern: UUID,
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
const date = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date', description });
export const DateString = date('YYYY-MM-DD, a real date');

export const PlanParams = Type.Object({ id: PlanId });
export const VersionParams = Type.Object({ id: PlanId, version: Type.Integer({ minimum: 1, maximum: 1e9 }) });
export const JobParams = Type.Object({ id: JobId });
export const DateParams = Type.Object({ date: DateString });
export const RouteParams = Type.Object({ id: PlanId, nurseId: NurseId });
export const ProblemParams = Type.Object({ id: PlanId, k: Type.Integer({ minimum: 1, maximum: 1e9 }) });
export const NurseParams = Type.Object({ nurseId: NurseId });
export const ListQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: 'at most this many (default 50)' }),
    ),
  },
  { additionalProperties: false },
);

/** Seconds of search: more than none, at most an hour. */
const timeLimit = (description: string) =>
  Type.Number({ exclusiveMinimum: 0, maximum: MAX_TIME_LIMIT, description });
const solveTimeLimit = timeLimit(`seconds of search (default ${DEFAULT_TIME_LIMIT})`);
const seed = Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 });
const wait = Type.Number({ minimum: 0, maximum: 60, description: 'seconds to wait for the finished plan' });

/** Query of a solve request; unknown parameters are refused. */
export const SolveQuery = Type.Object(
  { timeLimit: Type.Optional(solveTimeLimit), seed: Type.Optional(seed), wait: Type.Optional(wait) },
  { additionalProperties: false },
);
/** POST /v1/plans: a solve's options, and for a CSV or FHIR body the plan giving its nurses and calendar. */
export const PlansQuery = Type.Object(
  {
    timeLimit: Type.Optional(solveTimeLimit),
    seed: Type.Optional(seed),
    wait: Type.Optional(wait),
    base: Type.Optional(
      Type.String({
        pattern: UUID,
        description:
          'for a text/csv or application/fhir+json body: the plan whose problem as submitted gives the nurses, calendar and settings',
      }),
    ),
  },
  { additionalProperties: false },
);
export const DayQuery = Type.Object(
  { timeLimit: Type.Optional(solveTimeLimit) },
  { additionalProperties: false },
);
export const RouteQuery = Type.Object(
  {
    lang: Type.Optional(
      Type.String({ pattern: '^[a-zA-Z-]{2,10}$', description: 'language of the turn-by-turn text' }),
    ),
    date: Type.Optional(
      date('the day of a plan of several days (default: today in its time zone, else her next day)'),
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

/** PUT /v1/schedule: the tenant's nightly run. */
export const Schedule = Type.Object(
  {
    cron: Type.String({ minLength: 9, maxLength: 100, description: "cron pattern, e.g. '0 2 * * *'" }),
    timezone: Type.String({
      minLength: 1,
      maxLength: 64,
      description: "IANA time zone, e.g. 'Europe/Paris'",
    }),
    timeLimit: Type.Optional(timeLimit(`seconds of search per day (default ${NIGHTLY_TIME_LIMIT})`)),
  },
  { additionalProperties: false },
);

const changeId = Type.String({ minLength: 1, maxLength: 1000 });
const coordinate = Type.Number();
/** A location in one of the native format's forms. */
const Location = Type.Union([
  Type.Object({ lon: coordinate, lat: coordinate }, { additionalProperties: false }),
  Type.Object({ x: coordinate, y: coordinate }, { additionalProperties: false }),
  Type.Object({ index: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
]);
/** A time: a number in the problem's unit, or a local date-time (a time of day in a one-day plan), as in the problem (docs/calendar.md). */
const When = (description?: string) =>
  Type.Union(
    [
      Type.Number(),
      Type.String({
        maxLength: 40,
        pattern: '^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}.*|\\d{2}:\\d{2}(:\\d{2})?)$',
      }),
    ],
    description === undefined ? {} : { description },
  );

/** POST /v1/plans/:id/reoptimize: what changed since the latest version (docs/problem-format.md, "Re-planning during the day"). */
export const Changes = Type.Object(
  {
    now: Type.Optional(When('the time now: a number in the problem time unit, or a local date-time')),
    absentNurses: Type.Optional(
      Type.Array(
        Type.Object(
          {
            nurse: changeId,
            from: Type.Optional(When()),
            to: Type.Optional(When('back from then (default: never)')),
          },
          { additionalProperties: false },
        ),
        { maxItems: 5000 },
      ),
    ),
    newVisits: Type.Optional(
      Type.Array(Type.Object({}, { additionalProperties: true }), {
        maxItems: 1000,
        description: 'visits in the native format (checked as the problem is)',
      }),
    ),
    cancelledVisits: Type.Optional(Type.Array(changeId, { maxItems: 20000 })),
    overruns: Type.Optional(
      Type.Array(Type.Object({ visit: changeId, end: When() }, { additionalProperties: false }), {
        maxItems: 5000,
      }),
    ),
    positions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            nurse: changeId,
            location: Location,
            time: Type.Optional(When('free from then (default: now)')),
          },
          { additionalProperties: false, description: 'where a nurse is now: her day goes on from there' },
        ),
        { maxItems: 5000 },
      ),
    ),
    pins: Type.Optional(
      Type.Array(
        Type.Object(
          { visit: changeId, nurse: changeId, start: Type.Optional(When()) },
          {
            additionalProperties: false,
            description: "a coordinator's decision: this visit goes to this nurse, at `start` when given",
          },
        ),
        { maxItems: 20000 },
      ),
    ),
  },
  { additionalProperties: false },
);

/** A visit of a recommendation request: a new one (the native format, checked as the problem is), or the id of one the plan leaves out. */
const VisitOrId = Type.Union([
  Type.String({
    minLength: 1,
    maxLength: 1000,
    description: 'the id of a visit of the problem the plan leaves out',
  }),
  Type.Object({}, { additionalProperties: true, description: 'a new visit in the native format' }),
]);

/** A patient's recurring need to place in a week plan: a patient of the problem (id) or a new one, and the need (docs/calendar.md, "Periodic care"). */
const NeedBody = Type.Object(
  {
    patient: Type.Union([
      Type.String({ minLength: 1, maxLength: 1000 }),
      Type.Object({}, { additionalProperties: true, description: 'a new patient in the native format' }),
    ]),
    care: Type.Object(
      {},
      { additionalProperties: true, description: 'a recurring need in the native format' },
    ),
  },
  { additionalProperties: false },
);

/** POST /v1/plans/:id/recommendations (docs/explain.md, "Recommendations"). */
export const RecommendationsBody = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1e9,
        description: 'the version to answer on (default: the latest)',
      }),
    ),
    visit: Type.Optional(VisitOrId),
    need: Type.Optional(NeedBody),
    count: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 50, description: 'how many options (default 5)' }),
    ),
    slots: Type.Optional(
      Type.Object(
        {
          length: Type.Number({
            exclusiveMinimum: 0,
            description: 'slot length in the problem time unit: care starts within it',
          }),
          step: Type.Optional(
            Type.Number({
              exclusiveMinimum: 0,
              description: 'from one slot start to the next (default: length)',
            }),
          ),
          from: Type.Optional(When('where slots start (default: the first shift start)')),
          to: Type.Optional(When('where slots stop (default: the last shift end)')),
        },
        { additionalProperties: false, description: 'offer booking slots instead of places' },
      ),
    ),
  },
  { additionalProperties: false },
);

const version = Type.Integer({
  minimum: 1,
  maximum: 1e9,
  description: 'the version the option was computed on: the latest',
});

/** POST /v1/plans/:id/recommendations/apply: an option, as a recommendation or slot offer named it, or a need's option by rank. */
export const ApplyRecommendationBody = Type.Union([
  Type.Object(
    {
      version,
      visit: VisitOrId,
      nurse: NurseId,
      shift: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e6 })),
      after: Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()], {
        description: "the option's `after`: the task it comes right after (null: first of her day)",
      }),
      window: Type.Optional(
        Type.Object(
          { start: Type.Number(), end: Type.Number() },
          {
            additionalProperties: false,
            description: "a slot offer's slot (start, end): the visit's window becomes it",
          },
        ),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      version,
      need: NeedBody,
      first: Type.Object(
        {
          nurse: NurseId,
          shift: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e6 })),
          after: Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()]),
        },
        { additionalProperties: false, description: "the option's `first`: where its first visit goes" },
      ),
    },
    { additionalProperties: false },
  ),
]);

export const WaitQuery = Type.Object({ wait: Type.Optional(wait) }, { additionalProperties: false });

/** GET /v1/plans/:id/simulation: which version, how many sampled days, their seed. */
export const SimulationQuery = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e9 })),
    scenarios: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 20_000, description: 'sampled days (default 1000)' }),
    ),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  },
  { additionalProperties: false },
);

/** POST /v1/vroom: a VROOM request, checked in the problem checker's threads as the problem it makes (not compiled here). */
export const VroomBody = Type.Object(
  { vehicles: Type.Array(Type.Unknown(), { minItems: 1 }) },
  {
    additionalProperties: true,
    'x-raw-body': true,
    description: 'a request in VROOM\'s documented input format (docs/formats.md, "VROOM requests")',
  },
);
