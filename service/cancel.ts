import type { Redis } from 'ioredis';

/**
 * Cancelling a running job: the API publishes on a Redis channel (one per key prefix and queue,
 * so that services sharing a Redis never cancel each other's jobs) and leaves a flag for a day,
 * so that a job whose worker died, or which was being put back in the queue when the message
 * went out, is cancelled by whichever worker runs it next.
 */
export const cancelChannel = (prefix: string, queueName: string) => `${prefix}:cancel:${queueName}`;
const flagKey = (prefix: string, queueName: string, jobId: string) =>
  `${prefix}:cancelled:${queueName}:${jobId}`;

export async function requestCancel(
  redis: Redis,
  prefix: string,
  queueName: string,
  jobId: string,
  reason = 'cancelled by a coordinator',
): Promise<void> {
  await redis
    .multi()
    .set(flagKey(prefix, queueName, jobId), reason, 'EX', 86_400)
    .publish(cancelChannel(prefix, queueName), JSON.stringify({ jobId, reason }))
    .exec();
}

/** The reason given when the job was cancelled, or null. */
export async function cancelRequested(
  redis: Redis,
  prefix: string,
  queueName: string,
  jobId: string,
): Promise<string | null> {
  return redis.get(flagKey(prefix, queueName, jobId));
}

/** A cancel request on the channel: `{"jobId": "...", "reason"?: "..."}`; anything else is null (ignored). */
export function parseCancelMessage(message: string): { jobId: string; reason: string } | null {
  try {
    const m: unknown = JSON.parse(message);
    if (typeof m !== 'object' || m === null || !('jobId' in m) || typeof m.jobId !== 'string') return null;
    const reason = 'reason' in m && typeof m.reason === 'string' ? m.reason.slice(0, 200) : 'cancelled';
    return m.jobId.length > 0 && m.jobId.length <= 200 ? { jobId: m.jobId, reason } : null;
  } catch {
    return null;
  }
}
