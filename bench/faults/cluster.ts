/**
 * The processes of a fault-injection run (bench/faults.ts): a Redis of its own (append-only file,
 * fsync always, noeviction) in a temporary directory, one API process and solve worker processes,
 * each with its output in a log file under the temporary directory. Everything it starts it
 * stops again (cleanup), and the temporary directory goes with it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
} from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeArgs } from '../../cli/launch.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Child {
  name: string;
  kind: 'redis' | 'api' | 'worker';
  child: ChildProcess;
  pid: number;
  log: string;
  startedAt: number;
  exit: { at: number; code: number | null; signal: string | null } | null;
  exited: Promise<void>;
  /** Stopped on purpose by the run (a fault or the cleanup): its exit is no finding. */
  expected: boolean;
}

export interface ClusterOptions {
  /** The repository (working directory of the API and workers). */
  root: string;
  redisPort: number;
  apiPort: number;
  /** WORKER_LOCK_MS for the workers; unset: the service's default. */
  lockMs?: number;
  /** More environment for the API and workers (HHC_PREFIX, HHC_QUEUE, RATE_LIMIT...). */
  env: Record<string, string>;
}

/** A port nobody listens on: `preferred` when free, else one the system gives. */
export async function freePort(preferred?: number): Promise<number> {
  const attempt = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => {
        const got = (server.address() as AddressInfo).port;
        server.close(() => resolve(got));
      });
    });
  if (preferred !== undefined && preferred > 0) {
    const got = await attempt(preferred);
    if (got !== null) return got;
  }
  const got = await attempt(0);
  if (got === null) throw new Error('no free port');
  return got;
}

/** True when a Redis on `port` answers PING with PONG within `ms` (not while it loads its file). */
export function pingRedis(port: number, ms = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ms);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      text += d.toString();
      if (text.includes('\r\n')) done(text.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

/** The last `lines` lines of a file ('' when it cannot be read). */
export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Which of `pids` owns the TCP connection whose local port is `port` (a Redis client's address
 * as Redis sees it), from /proc: the socket's inode in /proc/net/tcp, then the process whose file
 * descriptors include it. Null when none does (Linux only).
 */
export function pidOfLocalPort(port: number, pids: number[]): number | null {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const local = f[1].split(':');
      if (parseInt(local[local.length - 1], 16) === port) inodes.add(f[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m !== null && inodes.has(m[1])) return pid;
      } catch {
        // the descriptor closed meanwhile
      }
    }
  }
  return null;
}

export class Cluster {
  readonly dir: string;
  readonly logDir: string;
  readonly dataDir: string;
  readonly children: Child[] = [];
  redis: Child | null = null;
  api: Child | null = null;
  private workersStarted = 0;
  private cleaned = false;

  constructor(readonly options: ClusterOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'hhc-faults-'));
    this.logDir = join(this.dir, 'logs');
    this.dataDir = join(this.dir, 'redis');
    mkdirSync(this.logDir);
    mkdirSync(this.dataDir);
  }

  get redisUrl(): string {
    return `redis://127.0.0.1:${this.options.redisPort}`;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.options.apiPort}`;
  }

  /** The environment of the API and workers: this run's Redis and names, no lock setting unless asked. */
  private serviceEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.options.env, REDIS_URL: this.redisUrl };
    delete env.WORKER_LOCK_MS;
    delete env.WORKER_CONCURRENCY;
    delete env.NODE_OPTIONS;
    if (this.options.lockMs !== undefined) env.WORKER_LOCK_MS = String(this.options.lockMs);
    return env;
  }

  private spawnLogged(
    kind: Child['kind'],
    name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ): Child {
    const log = join(this.logDir, `${name}.log`);
    const fd = openSync(log, 'a');
    let child: ChildProcess;
    try {
      child = spawn(command, args, { cwd: this.options.root, env, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    let settle = () => {};
    const entry: Child = {
      name,
      kind,
      child,
      pid: child.pid,
      log,
      startedAt: Date.now(),
      exit: null,
      exited: new Promise<void>((r) => (settle = r)),
      expected: false,
    };
    child.once('exit', (code, signal) => {
      entry.exit = { at: Date.now(), code, signal };
      settle();
    });
    child.once('error', (e) => {
      entry.exit ??= { at: Date.now(), code: null, signal: `spawn error: ${e.message}` };
      settle();
    });
    this.children.push(entry);
    return entry;
  }

  /** Starts Redis on its port and data directory (the same ones at every restart); resolves once it answers PING. */
  async startRedis(timeoutMs = 30_000): Promise<Child> {
    const redis = this.spawnLogged(
      'redis',
      'redis',
      'redis-server',
      [
        '--port',
        String(this.options.redisPort),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dataDir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--daemonize',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      process.env,
    );
    this.redis = redis;
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (redis.exit !== null)
        throw new Error(`redis-server exited at start (${JSON.stringify(redis.exit)}):\n${tail(redis.log)}`);
      if (await pingRedis(this.options.redisPort)) return redis;
      await sleep(50);
    }
    throw new Error(`redis-server did not answer within ${timeoutMs} ms:\n${tail(redis.log)}`);
  }

  /** SIGTERM: Redis writes its append-only file and exits. Resolves once it has exited. */
  async stopRedis(): Promise<void> {
    const redis = this.redis;
    if (redis === null || redis.exit !== null) return;
    redis.expected = true;
    redis.child.kill('SIGTERM');
    await Promise.race([redis.exited, sleep(20_000)]);
    if (redis.exit === null) {
      redis.child.kill('SIGKILL');
      await redis.exited;
    }
  }

  /** The API (no worker in it); resolves once /readyz answers 200. */
  async startApi(timeoutMs = 60_000): Promise<Child> {
    const env = this.serviceEnv();
    env.PORT = String(this.options.apiPort);
    env.HOST = '127.0.0.1';
    const api = this.spawnLogged('api', 'api', process.execPath, nodeArgs('api/server.ts'), env);
    this.api = api;
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (api.exit !== null) throw new Error(`the API exited at start:\n${tail(api.log)}`);
      const ok = await fetch(`${this.apiUrl}/readyz`, { signal: AbortSignal.timeout(1000) })
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return api;
      await sleep(200);
    }
    throw new Error(`the API was not ready within ${timeoutMs} ms:\n${tail(api.log)}`);
  }

  /** A solve worker process (workers/main.ts), its output in logs/worker-NN.log. */
  startWorker(): Child {
    const n = ++this.workersStarted;
    return this.spawnLogged(
      'worker',
      `worker-${String(n).padStart(2, '0')}`,
      process.execPath,
      nodeArgs('workers/main.ts'),
      this.serviceEnv(),
    );
  }

  /** Resolves once the worker wrote that it takes jobs (false: it exited or took too long). */
  async workerReady(worker: Child, timeoutMs = 60_000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (worker.exit !== null) return false;
      if (existsSync(worker.log) && readFileSync(worker.log, 'utf8').includes('taking jobs')) return true;
      await sleep(100);
    }
    return false;
  }

  liveWorkers(): Child[] {
    return this.children.filter((c) => c.kind === 'worker' && c.exit === null);
  }

  workerByPid(pid: number): Child | undefined {
    return this.children.find((c) => c.kind === 'worker' && c.pid === pid);
  }

  /** Child processes that exited without being asked to (a finding). */
  unexpectedExits(): Child[] {
    return this.children.filter((c) => c.exit !== null && !c.expected);
  }

  /**
   * Stops every child (SIGTERM, SIGKILL after a grace period; Redis last), copies the logs to
   * `keepLogsIn` when given, and removes the temporary directory. Safe to call twice.
   */
  async cleanup(keepLogsIn?: string, graceMs = 5000): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    const others = this.children.filter((c) => c.kind !== 'redis' && c.exit === null);
    for (const c of others) {
      c.expected = true;
      c.child.kill('SIGTERM');
    }
    await Promise.race([Promise.all(others.map((c) => c.exited)), sleep(graceMs)]);
    for (const c of others) if (c.exit === null) c.child.kill('SIGKILL');
    await Promise.race([Promise.all(others.map((c) => c.exited)), sleep(3000)]);
    await this.stopRedis().catch(() => undefined);
    if (keepLogsIn !== undefined) {
      try {
        rmSync(keepLogsIn, { recursive: true, force: true });
        cpSync(this.logDir, keepLogsIn, { recursive: true });
      } catch {
        // the logs are a help, not the result
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Last resort at process exit (synchronous): kill whatever still runs, remove the directory. */
  killAllNow(): void {
    for (const c of this.children) if (c.exit === null) c.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
