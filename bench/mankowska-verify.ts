/**
 * A second, format-specific check of Mankowska plans, written from the benchmark README alone
 * (no solver code): it reads the raw instance file and checks qualification, coverage, travel,
 * earliest starts and the synchronisation gaps, then recomputes Z = (D + ΣT + Tmax) / 3.
 */
import type { Plan } from '../solver/index.ts';

export function verifyMankowska(text: string, plan: Plan): { errors: string[]; z: number } {
  const sec: Record<string, number[]> = {};
  let cur = '';
  for (const tok of text.split(/\s+/).filter(Boolean)) {
    if (/^[A-Za-z]+$/.test(tok)) sec[(cur = tok)] = [];
    else sec[cur].push(Number(tok));
  }
  const [N, V, S] = [sec.nbNodes[0], sec.nbVehi[0], sec.nbServi[0]];
  const d = (i: number, j: number) => sec.d[i * N + j];
  const errors: string[] = [];
  const seen = new Map<string, { start: number; nurse: number }>();
  let D = 0;
  let sumT = 0;
  let maxT = 0;
  for (const route of plan.routes) {
    const v = Number(route.vehicle.slice(1)) - 1;
    let node = 0;
    let free = 0;
    for (const stop of route.stops) {
      const m = /^p(\d+)-s(\d+)$/.exec(stop.visit);
      if (m === null) {
        errors.push(`bad visit id ${stop.visit}`);
        continue;
      }
      const [i, s] = [Number(m[1]), Number(m[2]) - 1];
      if (sec.r[i * S + s] !== 1) errors.push(`${stop.visit}: patient ${i} does not need service ${s + 1}`);
      if (sec.a[v * S + s] !== 1) errors.push(`${stop.visit}: ${route.vehicle} is not qualified`);
      if (seen.has(stop.visit)) errors.push(`${stop.visit} done twice`);
      seen.set(stop.visit, { start: stop.start, nurse: v });
      D += d(node, i);
      if (stop.start < free + d(node, i) - 1e-6)
        errors.push(
          `${stop.visit}: starts ${(free + d(node, i) - stop.start).toExponential(2)} before the nurse can arrive`,
        );
      if (stop.start < sec.e[i] - 1e-6) errors.push(`${stop.visit}: starts before e`);
      const T = Math.max(0, stop.start - sec.l[i]);
      sumT += T;
      maxT = Math.max(maxT, T);
      free = stop.start + sec.p[i * V * S + v * S + s];
      node = i;
    }
    if (route.stops.length > 0) D += d(node, N - 1);
  }
  for (let i = 1; i <= N - 2; i++) {
    const services = [];
    for (let s = 0; s < S; s++) if (sec.r[i * S + s] === 1) services.push(s);
    for (const s of services) if (!seen.has(`p${i}-s${s + 1}`)) errors.push(`p${i}-s${s + 1} not done`);
    if (services.length !== 2) continue;
    const a = seen.get(`p${i}-s${services[0] + 1}`);
    const b = seen.get(`p${i}-s${services[1] + 1}`);
    if (a === undefined || b === undefined) continue;
    const gap = b.start - a.start;
    if (gap < sec.mind[i] - 1e-6 || gap > sec.maxd[i] + 1e-6)
      errors.push(`p${i}: gap ${gap} outside [${sec.mind[i]}, ${sec.maxd[i]}]`);
    if (a.nurse === b.nurse) errors.push(`p${i}: both services by one nurse`);
  }
  return { errors, z: (D + sumT + maxT) / 3 };
}
