import { fetchEventSource } from '@microsoft/fetch-event-source';

/** The API key of this browser (localStorage), sent as a Bearer token with every request. */
const KEY = 'hhc.key';
export const storedKey = () => localStorage.getItem(KEY);
export const storeKey = (key: string | null) =>
  key === null ? localStorage.removeItem(KEY) : localStorage.setItem(KEY, key);

/** An answer other than 2xx: the service's error body (code, message, issues with their pointers). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: string; message?: string; issues?: { pointer: string; message: string }[] },
  ) {
    super(body.message ?? `HTTP ${status}`);
  }
  /** The message, and each issue's pointer and message, one per line. */
  describe(): string {
    return [this.message, ...(this.body.issues ?? []).map((i) => `${i.pointer || '/'}: ${i.message}`)].join(
      '\n',
    );
  }
}

export interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** A body sent as it is (a CSV or JSON file) with this content type. */
  raw?: { text: string; type: string };
  accept?: string;
  signal?: AbortSignal;
}

/** One call to the API: JSON in and out (text when `accept` asks for another type). */
export async function api<T>(path: string, call: Call = {}): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${storedKey() ?? ''}` };
  if (call.accept !== undefined) headers.accept = call.accept;
  let body: string | undefined;
  if (call.raw !== undefined) {
    headers['content-type'] = call.raw.type;
    body = call.raw.text;
  } else if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.body);
  }
  const res = await fetch(path, { method: call.method ?? 'GET', headers, body, signal: call.signal });
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : { message: String(data) });
  return data as T;
}

/** A job as GET /v1/jobs/:id and its events give it. */
export interface JobView {
  id: string;
  planId: string;
  state: string;
  progress: { iteration: number; bestCost: number } | null;
  bestCost: number | null;
  version: number | null;
  error: string | null;
}

export interface JobEvent {
  type: 'progress' | 'done' | 'expired';
  data: Partial<JobView>;
}

/**
 * A job's server-sent events (GET /v1/jobs/:id/events) with the key in a header (EventSource
 * cannot send one: fetch-event-source reads the stream). Stops on `done` or when aborted.
 */
export function followJob(jobId: string, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<void> {
  return fetchEventSource(`/v1/jobs/${encodeURIComponent(jobId)}/events`, {
    headers: { authorization: `Bearer ${storedKey() ?? ''}` },
    signal,
    openWhenHidden: true,
    onmessage: (m) => {
      const type = (m.event || 'message') as JobEvent['type'];
      const data = m.data === '' ? {} : (JSON.parse(m.data) as JobEvent['data']);
      onEvent({ type, data });
      if (type === 'done') throw new StreamDone();
    },
    onerror: (e) => {
      throw e; // no retry loop: the page asks the job's state instead
    },
  }).catch((e: unknown) => {
    if (!(e instanceof StreamDone)) throw e;
  });
}

class StreamDone extends Error {}
