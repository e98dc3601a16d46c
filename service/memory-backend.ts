import { randomBytes } from 'node:crypto';
import { keyHash, type Principal } from './api-keys.ts';
import { MemoryQueue, type Processor } from './memory-queue.ts';
import { MemoryPlanStore } from './memory-store.ts';
import type { PlanStoreApi } from './plan-store.ts';

/**
 * Everything the API needs, in this process, for trying the service without Redis: an
 * in-memory plan store, an in-process queue running one job at a time through the workers'
 * processor (`processor`: workers/solve-processor.ts's `solveProcessor`, which solves in a worker
 * thread), and API keys kept in memory (hashed). Nothing survives the process; no nightly runs.
 */
export function memoryBackend(options: { processor: (store: PlanStoreApi) => Processor }) {
  const store = new MemoryPlanStore();
  const queue = new MemoryQueue();
  queue.process(options.processor(store));
  const keys = new Map<string, Omit<Principal, 'keyId'>>();
  return {
    store,
    queue,
    events: queue.events,
    createKey(principal: Omit<Principal, 'keyId'>): string {
      const key = `hhc_${randomBytes(24).toString('base64url')}`;
      keys.set(keyHash(key), principal);
      return key;
    },
    principalOf: async (key: string): Promise<Principal | null> => {
      const found = keys.get(keyHash(key));
      return found === undefined ? null : { ...found, keyId: keyHash(key) };
    },
    cancel: async (jobId: string) => queue.cancel(jobId),
  };
}
