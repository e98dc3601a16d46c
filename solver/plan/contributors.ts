import type { PlanContributor } from '../model/plan.ts';

/** How many contributors a term keeps. */
export const TOP_CONTRIBUTORS = 3;

/**
 * Who makes each objective term's cost: costs added per term and per nurse, visit or patient as
 * the plan is built, then the few that cost most per term (`summary.topContributors`).
 */
export class Contributors {
  private readonly terms = new Map<string, Map<string, PlanContributor>>();

  add(term: string, kind: PlanContributor['kind'], id: string, cost: number): void {
    if (!(cost > 0)) return;
    let byId = this.terms.get(term);
    if (byId === undefined) this.terms.set(term, (byId = new Map()));
    const key = `${kind}\u0000${id}`;
    const was = byId.get(key);
    if (was === undefined) byId.set(key, { kind, id, cost });
    else was.cost += cost;
  }

  /** Per term with a cost, its largest contributors, largest first (ties by id). */
  top(k = TOP_CONTRIBUTORS): Record<string, PlanContributor[]> {
    const out: Record<string, PlanContributor[]> = {};
    for (const [term, byId] of this.terms)
      out[term] = [...byId.values()].sort((a, b) => b.cost - a.cost || (a.id < b.id ? -1 : 1)).slice(0, k);
    return out;
  }
}
