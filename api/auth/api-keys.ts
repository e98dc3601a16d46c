import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export type Role = 'coordinator' | 'nurse';

/** Who a key speaks for: a tenant (agency), a role, and for a nurse her nurse id. */
export interface Principal {
  tenant: string;
  role: Role;
  nurse?: string;
}

const hash = (key: string) => createHash('sha256').update(key).digest('hex');
const keyOf = (prefix: string, key: string) => `${prefix}:key:${hash(key)}`;

/** Creates an API key; only its SHA-256 is stored, the key itself is shown once. */
export async function createApiKey(redis: Redis, principal: Principal, prefix = 'hhc'): Promise<string> {
  const key = `hhc_${randomBytes(24).toString('base64url')}`;
  await redis.set(keyOf(prefix, key), JSON.stringify(principal));
  return key;
}

export async function revokeApiKey(redis: Redis, key: string, prefix = 'hhc'): Promise<boolean> {
  return (await redis.del(keyOf(prefix, key))) === 1;
}

export async function principalOf(redis: Redis, key: string, prefix = 'hhc'): Promise<Principal | null> {
  const text = await redis.get(keyOf(prefix, key));
  return text === null ? null : (JSON.parse(text) as Principal);
}
