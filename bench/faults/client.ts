/**
 * The API as a client sees it in a fault-injection run: every answer counted by route and status
 * (network errors and client timeouts as 'ERR'), and a submission that retries with the same
 * Idempotency-Key after a 503, a 429, a 409 (in progress) or a timeout, as a real client would.
 */

export interface Answer {
  status: number | 'ERR';
  ms: number;
  body: unknown;
  retryAfter: number | null;
  error?: string;
}

export interface SubmissionResult {
  index: number;
  key: string;
  tenant: string;
  size: string;
  timeLimit: number;
  /** 'accepted': a 202; 'rejected': another final answer (4xx/5xx other than 503/429); 'unanswered': gave up. */
  outcome: 'accepted' | 'rejected' | 'unanswered';
  planId?: string;
  jobId?: string;
  /** 'queued' or 'existing' (a retry that found the plan its key made). */
  status?: string;
  /** Every plan id an answer of this key named (more than one: the key made two plans). */
  planIds: string[];
  attempts: number;
  retryReasons: string[];
  lastAnswer?: { status: number | 'ERR'; body: unknown };
  startedAt: number;
  answeredAt?: number;
}

export class ApiClient {
  /** 'METHOD route status' → count. */
  readonly statuses = new Map<string, number>();
  /** Answers of 500 or more other than 503 (each a finding). */
  readonly serverErrors: { route: string; status: number; body: unknown; at: number }[] = [];

  constructor(private readonly base: string) {}

  async request(
    method: string,
    path: string,
    route: string,
    options: { key?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<Answer> {
    const started = performance.now();
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let answer: Answer;
    try {
      const response = await fetch(this.base + path, {
        method,
        headers,
        ...(options.body !== undefined && { body: options.body }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      const ra = response.headers.get('retry-after');
      answer = {
        status: response.status,
        ms: performance.now() - started,
        body,
        retryAfter: ra === null || !/^\d+$/.test(ra) ? null : Number(ra),
      };
    } catch (e) {
      const error = e as Error;
      answer = {
        status: 'ERR',
        ms: performance.now() - started,
        body: null,
        retryAfter: null,
        error:
          error.name === 'TimeoutError'
            ? 'timeout'
            : ((error.cause as Error | undefined)?.message ?? error.message),
      };
    }
    const label = `${method} ${route} ${answer.status}`;
    this.statuses.set(label, (this.statuses.get(label) ?? 0) + 1);
    if (typeof answer.status === 'number' && answer.status >= 500 && answer.status !== 503)
      this.serverErrors.push({
        route: `${method} ${route}`,
        status: answer.status,
        body: answer.body,
        at: Date.now(),
      });
    return answer;
  }

  /**
   * POST /v1/plans with an Idempotency-Key until a final answer: after a 503 or 429 it waits what
   * Retry-After says (at most 5 s), after a timeout or a refused connection 1 s, and gives up
   * after `deadlineMs`.
   */
  async submit(
    spec: { index: number; key: string; tenant: string; size: string; timeLimit: number; body: string },
    apiKey: string,
    deadlineMs = 180_000,
  ): Promise<SubmissionResult> {
    const result: SubmissionResult = {
      index: spec.index,
      key: spec.key,
      tenant: spec.tenant,
      size: spec.size,
      timeLimit: spec.timeLimit,
      outcome: 'unanswered',
      planIds: [],
      attempts: 0,
      retryReasons: [],
      startedAt: Date.now(),
    };
    const end = Date.now() + deadlineMs;
    for (;;) {
      result.attempts++;
      const a = await this.request('POST', `/v1/plans?timeLimit=${spec.timeLimit}`, '/v1/plans', {
        key: apiKey,
        body: spec.body,
        headers: { 'idempotency-key': spec.key },
        timeoutMs: 10_000,
      });
      result.lastAnswer = { status: a.status, body: a.body };
      const body = (a.body ?? {}) as { planId?: string; jobId?: string; status?: string };
      if (typeof body.planId === 'string' && !result.planIds.includes(body.planId))
        result.planIds.push(body.planId);
      if (a.status === 202) {
        result.outcome = 'accepted';
        result.planId = body.planId;
        result.jobId = body.jobId;
        result.status = body.status;
        result.answeredAt = Date.now();
        return result;
      }
      // 409 E_IN_PROGRESS: another request with the key is still being carried out.
      const retryable = a.status === 'ERR' || a.status === 503 || a.status === 429 || a.status === 409;
      if (!retryable) {
        result.outcome = 'rejected';
        result.answeredAt = Date.now();
        return result;
      }
      result.retryReasons.push(a.status === 'ERR' ? (a.error ?? 'error') : String(a.status));
      if (Date.now() > end) return result;
      const wait = a.retryAfter !== null ? Math.min(a.retryAfter, 5) * 1000 : 1000;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
