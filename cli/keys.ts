import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createApiKey, revokeApiKey, type Role, TENANT_PATTERN } from '../service/api-keys.ts';
import { UsageError } from './files.ts';

/**
 * `hhc keys create --tenant T --role coordinator|nurse|calendar [--nurse ID]` prints a new API key (only
 * its hash is stored); `hhc keys revoke KEY` revokes one. Against REDIS_URL, under the key prefix
 * HHC_PREFIX (default 'hhc'), the same as the service's.
 */
export async function runKeys(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { tenant: { type: 'string' }, role: { type: 'string' }, nurse: { type: 'string' } },
  });
  const prefix = process.env.HHC_PREFIX ?? 'hhc';
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  try {
    await redis.connect().catch(() => {
      throw new UsageError(`no Redis answers at ${process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'}`);
    });
    if (action === 'create') {
      const role = values.role as Role | undefined;
      if (!values.tenant) throw new UsageError('keys create needs --tenant');
      if (!TENANT_PATTERN.test(values.tenant))
        throw new UsageError("--tenant must be 1-64 letters, digits, '-' or '_'");
      if (role !== 'coordinator' && role !== 'nurse' && role !== 'calendar')
        throw new UsageError("--role must be 'coordinator', 'nurse' or 'calendar'");
      if (role !== 'coordinator' && !values.nurse)
        throw new UsageError(`a ${role} key needs --nurse <nurse id>`);
      const key = await createApiKey(
        redis,
        {
          tenant: values.tenant,
          role,
          ...(values.nurse && { nurse: values.nurse }),
        },
        prefix,
      );
      process.stdout.write(key + '\n');
      return 0;
    }
    if (action === 'revoke') {
      if (positionals.length !== 1) throw new UsageError('keys revoke takes the key');
      const done = await revokeApiKey(redis, positionals[0], prefix);
      process.stderr.write(done ? 'hhc: key revoked\n' : 'hhc: no such key\n');
      return done ? 0 : 1;
    }
    throw new UsageError("keys takes 'create' or 'revoke'");
  } finally {
    redis.disconnect();
  }
}
