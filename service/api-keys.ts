import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** `calendar`: a nurse's read-only calendar token (her feed only, given in the feed's URL). */
export type Role = 'coordinator' | 'nurse' | 'calendar';

/** Who a key speaks for: a tenant (agency), a role, and for a nurse her nurse id. */
export interface Principal {
  tenant: string;
  role: Role;
  nurse?: string;
  /** The key's identity (the SHA-256 of the key, as stored): rate limits and stream caps count by it. */
  keyId: string;
}

/** Tenant names are part of every Redis key of the tenant: letters, digits, '-' and '_' only. */
export const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const keyHash = (key: string) => createHash('sha256').update(key).digest('hex');
const keyOf = (prefix: string, key: string) => `${prefix}:key:${keyHash(key)}`;

/** Creates an API key; only its SHA-256 is stored, the key itself is shown once. */
export async function createApiKey(
  redis: Redis,
  principal: Omit<Principal, 'keyId'>,
  prefix = 'hhc',
): Promise<string> {
  if (!TENANT_PATTERN.test(principal.tenant))
    throw new Error(`tenant '${principal.tenant}' must be 1-64 letters, digits, '-' or '_'`);
  const key = `hhc_${randomBytes(24).toString('base64url')}`;
  const { tenant, role, nurse } = principal;
  await redis.set(
    keyOf(prefix, key),
    JSON.stringify({ tenant, role, ...(nurse !== undefined && { nurse }) }),
  );
  return key;
}

export async function revokeApiKey(redis: Redis, key: string, prefix = 'hhc'): Promise<boolean> {
  return (await redis.del(keyOf(prefix, key))) === 1;
}

export async function principalOf(redis: Redis, key: string, prefix = 'hhc'): Promise<Principal | null> {
  const text = await redis.get(keyOf(prefix, key));
  return text === null ? null : { ...(JSON.parse(text) as Omit<Principal, 'keyId'>), keyId: keyHash(key) };
}
