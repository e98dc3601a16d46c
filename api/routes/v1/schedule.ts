import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readSchedule, scheduleIssue, setSchedule } from '../../../service/schedule.ts';
import { COORDINATOR_ONLY, principalOfRequest } from '../../plugins/auth.ts';
import { NoQuery, Schedule } from '../../schemas.ts';

/**
 * The tenant's nightly re-optimization: a cron pattern and time zone (BullMQ job scheduler), at
 * most every HHC_SCHEDULE_MIN_MINUTES (default 60) and with at most HHC_SCHEDULE_MAX_TIME_LIMIT
 * seconds of search per day (default 300).
 */
const schedule: FastifyPluginAsyncTypebox = async (app) => {
  const { queue, limits } = app.deps;

  app.put(
    '/schedule',
    { schema: { body: Schedule, querystring: NoQuery }, config: COORDINATOR_ONLY },
    async (request, reply) => {
      const issue = scheduleIssue(request.body, {
        minMinutes: limits.scheduleMinMinutes,
        maxTimeLimit: limits.scheduleMaxTimeLimit,
      });
      if (issue !== null)
        return reply.code(400).send({
          error: 'E_VALIDATION',
          message: 'the schedule is invalid',
          issues: [{ pointer: issue.pointer, in: 'body', code: issue.code, message: issue.message }],
        });
      return setSchedule(queue, principalOfRequest(request).tenant, request.body);
    },
  );

  app.get('/schedule', { schema: { querystring: NoQuery }, config: COORDINATOR_ONLY }, async (request) =>
    readSchedule(queue, principalOfRequest(request).tenant),
  );
};

export default schedule;
