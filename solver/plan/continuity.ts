import type { ProblemInput } from '../model/input.ts';
import type { Plan, PlanPatient, PlanSummary } from '../model/plan.ts';

/**
 * Continuity of care over a plan (docs/calendar.md, "Continuity"): per patient, the nurses who
 * see her in the plan (frozen visits included) and the share of her planned visits done by a
 * nurse she knows (her visit's preferred nurses, which include her patient's preferred nurses
 * and `history`); and their mean and worst over the patients with a planned visit.
 */
export function continuityReport(
  input: ProblemInput,
  plan: Pick<Plan, 'routes'>,
): { patients: PlanPatient[]; continuity: NonNullable<PlanSummary['continuity']> } {
  const visits = new Map(input.visits.map((v) => [v.id, v]));
  const byPatient = new Map<string, { nurses: string[]; visits: number; known: number }>();
  for (const route of plan.routes)
    for (const stop of route.stops) {
      const v = visits.get(stop.visit);
      if (v === undefined) continue;
      const id = v.patient ?? v.id;
      let p = byPatient.get(id);
      if (p === undefined) byPatient.set(id, (p = { nurses: [], visits: 0, known: 0 }));
      if (!p.nurses.includes(route.vehicle)) p.nurses.push(route.vehicle);
      p.visits++;
      if ((v.preferredNurses ?? []).includes(route.vehicle)) p.known++;
    }
  const patients: PlanPatient[] = [...byPatient.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([patient, p]) => ({
      patient,
      nurses: p.nurses.sort(),
      visits: p.visits,
      knownShare: p.known / p.visits,
    }));
  const n = Math.max(1, patients.length);
  return {
    patients,
    continuity: {
      meanNurses: patients.reduce((s, p) => s + p.nurses.length, 0) / n,
      worstNurses: patients.reduce((s, p) => Math.max(s, p.nurses.length), 0),
      meanKnownShare: patients.reduce((s, p) => s + p.knownShare, 0) / n,
      worstKnownShare: patients.length === 0 ? 1 : Math.min(...patients.map((p) => p.knownShare)),
    },
  };
}
