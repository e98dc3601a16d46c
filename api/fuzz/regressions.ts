/** Defects the fuzzer found, kept as requests the CI slice replays. */
import { deep } from './body-arbitraries.ts';
import { coordinatorRequest, validSubmission } from './request-arbitraries.ts';
import { DAY_TEXT } from './service.ts';
import { type RequestSpec } from './specs.ts';

/**
 * Defects the fuzzer found, each as its smallest request (after what it needs, if anything); the
 * CI slice (api/fuzz.test.ts) replays them, and they stay there once fixed, so that they stay fixed.
 */
export const REGRESSIONS: { name: string; found: string; requests: RequestSpec[] }[] = [
  {
    name: 'a problem with validation issues answers 500',
    found:
      'commit 7819257 (at most 100 issues): problem-check-task.ts uses MAX_ISSUES without defining it, so every ' +
      'problem that fails validation (POST /v1/plans, PUT /v1/days/:date, re-plans) throws ReferenceError in the ' +
      "checker's thread: 500 instead of 400",
    requests: [
      coordinatorRequest('POST /v1/plans', 'POST', ['v1', 'plans'], '{"nurses":[{"id":"n"}],"visits":[]}'),
    ],
  },
  {
    name: 're-plan with a new visit nested 5,000 levels deep answers 500',
    found:
      'seed 3 run 1696 and seed 7 run 3066: POST /v1/plans/:id/reoptimize on a solved plan; newVisits items are free-form ' +
      '(additionalProperties), so the parsed body reaches checker.replan, whose thread pool structured-clones it: ' +
      'V8 overflows its stack past about 4,000 levels (RangeError), and the error handler answers 500',
    requests: [
      coordinatorRequest(
        'POST /v1/plans/:id/reoptimize',
        'POST',
        ['v1', 'plans', { plan: { kind: 'solved' } }, 'reoptimize'],
        `{"newVisits":[{"id":"x","a":${deep(5000, '[', ']')}}]}`,
      ),
    ],
  },
  {
    name: "a re-plan or a day's problem refused 429 (tenant busy) leaves the plan's problem counter raised",
    found:
      'seed 1 runs 782 and 5775 (100,000-request run): with the tenant at HHC_TENANT_MAX_QUEUED, POST ' +
      '/v1/plans/:id/reoptimize and PUT /v1/days/:date of a stored day answer 429 E_TENANT_BUSY, but hhcUnstage ' +
      "(service/store-scripts.ts) does not take back hhcStage's HINCRBY of the plan hash's `problems` (and resets " +
      '`jobId` to <plan>.<current>, losing e.g. a nightly job id): each refusal skips a problem number',
    requests: [
      // Up to 60 submissions fill the tenant's queue (the CI slice caps it at 25; the bench at 40) ...
      ...Array.from({ length: 60 }, () => validSubmission),
      // ... then both refusals.
      coordinatorRequest(
        'POST /v1/plans/:id/reoptimize',
        'POST',
        ['v1', 'plans', { plan: { kind: 'solved' } }, 'reoptimize'],
        '{"cancelledVisits":["ehpad-follow-up"]}',
      ),
      coordinatorRequest('PUT /v1/days/:date', 'PUT', ['v1', 'days', 'SEEDED'], DAY_TEXT),
    ],
  },
];
