import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOfRequest } from '../../plugins/auth.ts';
import { NurseId } from '../../schemas.ts';
import { solvedDays } from '../../../service/plan-views.ts';
import { type CalendarDay, nurseCalendar } from '../../views/nurse-calendar.ts';

/**
 * A nurse's calendar feed (docs/service.md, "Calendar feeds"): every stored day's latest version,
 * her stops as iCalendar events. Read with her calendar token in the URL (`?token=`, role
 * `calendar`: read-only, this feed only, revocable), her nurse key or a coordinator's key.
 */
const nurseCalendarRoute: FastifyPluginAsyncTypebox = async (app) => {
  const solvedDay = solvedDays(app.deps.store);
  app.get(
    '/nurses/:nurseId/calendar.ics',
    {
      schema: {
        params: Type.Object({ nurseId: NurseId }),
        querystring: Type.Object(
          { token: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
      },
      config: { roles: ['coordinator', 'nurse', 'calendar'], tokenInQuery: true },
    },
    async (request, reply) => {
      const principal = principalOfRequest(request);
      const { nurseId } = request.params;
      if (principal.role !== 'coordinator' && principal.nurse !== nurseId)
        return reply
          .code(403)
          .send({ error: 'E_FORBIDDEN', message: "a nurse's key reads only her own calendar" });
      // The days from a week ago on (the hash keeps every day ever stored), read at once.
      const since = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
      const stored = Object.entries(await app.deps.store.days(principal.tenant))
        .filter(([date]) => date >= since)
        .sort();
      const days: CalendarDay[] = (
        await Promise.all(
          stored.map(async ([date, planId]) => {
            const day = await solvedDay(principal.tenant, planId);
            return day === null
              ? null
              : { date, planId, version: day.version, plan: day.plan, problem: day.problem };
          }),
        )
      ).filter((d): d is CalendarDay => d !== null);
      return reply.type('text/calendar; charset=utf-8').send(nurseCalendar(nurseId, days, new Date()));
    },
  );
};

export default nurseCalendarRoute;
