/** The invariants: snapshots of the store and their differences, the issues of a 400, failures as text. */

/**
 * Every key under the patterns (ARGV: pattern, key to leave out, ...; rate-limit counters left
 * out) with its type and value, in one round trip: values of up to 512 bytes as they are ('=' and
 * the value: a hash as sorted field NUL value pairs, SOH between), longer ones as a SHA-1 ('#').
 */
export const SNAPSHOT_LUA = `
local function short(v)
  if #v <= 512 then return '=' .. v end
  return '#' .. redis.sha1hex(v)
end
local out = {}
for i = 1, #ARGV, 2 do
  local keys = redis.call('KEYS', ARGV[i])
  local skip = ARGV[i + 1]
  for _, k in ipairs(keys) do
    if not string.find(k, ':rate:', 1, true) and (skip == '' or k ~= skip) then
      local t = redis.call('TYPE', k).ok
      local v = ''
      if t == 'string' then
        v = short(redis.call('GET', k))
      elseif t == 'hash' then
        local h = redis.call('HGETALL', k)
        local fields = {}
        for j = 1, #h, 2 do fields[#fields + 1] = h[j] .. '\\0' .. h[j + 1] end
        table.sort(fields)
        v = short(table.concat(fields, '\\1'))
      elseif t == 'zset' then
        v = '=' .. table.concat(redis.call('ZRANGE', k, 0, -1, 'WITHSCORES'), '\\1')
      elseif t == 'set' then
        local s = redis.call('SMEMBERS', k)
        table.sort(s)
        v = short(table.concat(s, '\\1'))
      elseif t == 'list' then
        v = short(table.concat(redis.call('LRANGE', k, 0, -1), '\\1'))
      elseif t == 'stream' then
        local last = redis.call('XREVRANGE', k, '+', '-', 'COUNT', 1)
        v = '=' .. redis.call('XLEN', k) .. ':' .. ((last[1] and last[1][1]) or '')
      end
      out[#out + 1] = k
      out[#out + 1] = t
      out[#out + 1] = v
    end
  end
end
return out
`;

export type Snapshot = Map<string, string>;

export interface StoreState {
  keys: Snapshot;
  counts: Record<string, number>;
}

/** What changed in a value, when both are short: a hash's fields, else the values. */
export function changeOf(was: string, now: string): string {
  const [type, a] = [was.slice(0, was.indexOf(' ')), was.slice(was.indexOf(' ') + 1)];
  const b = now.slice(now.indexOf(' ') + 1);
  if (!a.startsWith('=') || !b.startsWith('=')) return '';
  const show = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
  if (type !== 'hash') return `: ${show(a.slice(1))} → ${show(b.slice(1))}`;
  const fields = (s: string) =>
    new Map(
      s
        .slice(1)
        .split('\u0001')
        .filter((f) => f !== '')
        .map((f) => [f.slice(0, f.indexOf('\u0000')), f.slice(f.indexOf('\u0000') + 1)] as const),
    );
  const [x, y] = [fields(a), fields(b)];
  const names = [...new Set([...x.keys(), ...y.keys()])].filter((n) => x.get(n) !== y.get(n));
  return `: ${names.map((n) => `${n} ${show(x.get(n) ?? '(none)')} → ${show(y.get(n) ?? '(none)')}`).join(', ')}`;
}

/** The differences between two snapshots that a refused request may not make. */
export function stateDiff(before: StoreState, after: StoreState): string[] {
  const out: string[] = [];
  for (const [k, v] of after.keys) {
    const was = before.keys.get(k);
    if (was === undefined) out.push(`+ ${k} (${v.split(' ')[0]})`);
    else if (was !== v) {
      // A tenant's queued set forgets jobs that ended or were removed when a slot is asked for
      // (service/tenant-slots.ts): members may go, none may come.
      if (/:t:[^:]+:queued$/.test(k) && v.startsWith('zset =') && was.startsWith('zset =')) {
        const members = (s: string) =>
          new Set(
            s
              .slice(6)
              .split('\u0001')
              .filter((_, i) => i % 2 === 0),
          );
        const old = members(was);
        if ([...members(v)].every((m) => old.has(m))) continue;
      }
      out.push(`~ ${k} (${v.split(' ')[0]}${changeOf(was, v)})`);
    }
  }
  for (const k of before.keys.keys()) if (!after.keys.has(k)) out.push(`- ${k}`);
  for (const [name, n] of Object.entries(after.counts))
    if ((before.counts[name] ?? 0) !== n) out.push(`job count ${name}: ${before.counts[name] ?? 0} → ${n}`);
  return out;
}
