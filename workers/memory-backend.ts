import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../api/auth/api-keys.ts';
import { MemoryQueue } from './memory-queue.ts';
import { MemoryPlanStore } from './memory-store.ts';
import { solveProcessor } from './solve-processor.ts';

/**
 * Everything the API needs, in this process, for trying the service without Redis: an
 * in-memory plan store, an in-process queue solving one job at a time (in a worker thread), and
 * API keys kept in memory (hashed). Nothing survives the process; no nightly runs.
 */
export function memoryBackend() {
  const store = new MemoryPlanStore();
  const queue = new MemoryQueue();
  queue.process(solveProcessor(store));
  const keys = new Map<string, Principal>();
  const hash = (key: string) => createHash('sha256').update(key).digest('hex');
  return {
    store,
    queue,
    createKey(principal: Principal): string {
      const key = `hhc_${randomBytes(24).toString('base64url')}`;
      keys.set(hash(key), principal);
      return key;
    },
    principalOf: async (key: string) => keys.get(hash(key)) ?? null,
    cancel: async (jobId: string) => queue.cancel(jobId),
    ping: async () => true,
  };
}
