/**
 * The plan store's writes as Lua scripts: each runs atomically in Redis, so a request that
 * fails leaves either all of its writes or none. Keys are built inside the scripts from the
 * tenant's base key (docs/service.md, "The planning service": one Redis, not a cluster).
 */
export const STORE_SCRIPTS = {
  /**
   * ARGV: base, pendingKey, mode (new|day|add), planId (new id, or the plan to add to), problem
   * text, ISO time, idempotency hash, body fingerprint, day, tenant, the queue's job key prefix.
   * Returns {status, planId, jobId, problem number, ticket}; for 'existing', the ticket is the
   * first request's while it is still staged ('' once settled). The pending score is Redis's
   * own clock, so that the sweep never depends on the API's and workers' clocks agreeing.
   */
  hhcStage: `
local base, pending, mode, planId, text = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local iso, idem, fp, day, tenant, jobPrefix = ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11]
if idem ~= '' then
  local seen = redis.call('GET', base .. ':idem:' .. idem)
  if seen then
    local o = cjson.decode(seen)
    if o.fp ~= fp then return {'conflict', o.planId, o.jobId, tostring(o.k), ''} end
    local open = o.ticket and redis.call('ZSCORE', pending, o.ticket) and o.ticket or ''
    return {'existing', o.planId, o.jobId, tostring(o.k), open}
  end
end
local created = 1
if mode == 'day' then
  local existing = redis.call('HGET', base .. ':days', day)
  if existing then planId = existing; created = 0 end
elseif mode == 'add' then
  created = 0
end
local rec = base .. ':plan:' .. planId
local k = 1
local previousJob = ''
if created == 1 then
  redis.call('HSET', rec, 'createdAt', iso, 'versions', 0, 'problems', 1, 'current', 0)
  local at = redis.call('TIME')
  redis.call('ZADD', base .. ':plans', tonumber(at[1]) * 1000 + math.floor(tonumber(at[2]) / 1000), planId)
else
  if redis.call('EXISTS', rec) == 0 then return {'missing', planId, '', '0', ''} end
  k = redis.call('HINCRBY', rec, 'problems', 1)
  previousJob = redis.call('HGET', rec, 'jobId') or ''
end
local jobId = planId .. '.' .. k
redis.call('SET', rec .. ':problem:' .. k, text)
redis.call('HSET', rec, 'jobId', jobId)
if mode == 'day' and created == 1 then redis.call('HSET', base .. ':days', day, planId) end
local ticket = cjson.encode({tenant = tenant, planId = planId, k = k, jobId = jobId, jobKey = jobPrefix .. jobId,
  idem = idem, day = day, created = created, previousJob = previousJob})
if idem ~= '' then
  redis.call('SET', base .. ':idem:' .. idem, cjson.encode({planId = planId, jobId = jobId, fp = fp, k = k, ticket = ticket}), 'EX', 86400)
end
local now = redis.call('TIME')
redis.call('ZADD', pending, tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000), ticket)
return {created == 1 and 'created' or 'added', planId, jobId, tostring(k), ticket}
`,

  /**
   * ARGV: pendingKey, ticket, prefix. The job is queued: its problem becomes the plan's current
   * one. Returns 1 when committed, 0 when the ticket was already settled (committed or undone).
   */
  hhcCommit: `
local pending, ticket, prefix = ARGV[1], ARGV[2], ARGV[3]
if redis.call('ZREM', pending, ticket) == 0 then return 0 end
local t = cjson.decode(ticket)
local rec = prefix .. ':t:' .. t.tenant .. ':plan:' .. t.planId
if redis.call('EXISTS', rec) == 1 and tonumber(redis.call('HGET', rec, 'current') or '0') < t.k then
  redis.call('HSET', rec, 'current', t.k)
end
return 1
`,

  /**
   * ARGV: pendingKey, ticket, prefix. Undoes a staged write whose job could not be queued, unless
   * the job exists after all (the ticket names its key), in which case it commits. A plan the
   * stage created goes with its day pointer, unless a later request has added a problem to it
   * since; a problem number given last is given back; the plan's job goes back to the one it had.
   * Returns 'removed', 'committed' or 'none' (already settled).
   */
  hhcUnstage: `
local pending, ticket, prefix = ARGV[1], ARGV[2], ARGV[3]
if redis.call('ZSCORE', pending, ticket) == false then return 'none' end
local t = cjson.decode(ticket)
local base = prefix .. ':t:' .. t.tenant
local rec = base .. ':plan:' .. t.planId
redis.call('ZREM', pending, ticket)
if redis.call('EXISTS', t.jobKey) == 1 then
  if redis.call('EXISTS', rec) == 1 and tonumber(redis.call('HGET', rec, 'current') or '0') < t.k then
    redis.call('HSET', rec, 'current', t.k)
  end
  return 'committed'
end
redis.call('DEL', rec .. ':problem:' .. t.k)
local last = tonumber(redis.call('HGET', rec, 'problems') or '0')
if t.created == 1 and last <= t.k then
  redis.call('DEL', rec)
  redis.call('ZREM', base .. ':plans', t.planId)
  if t.day ~= '' and redis.call('HGET', base .. ':days', t.day) == t.planId then
    redis.call('HDEL', base .. ':days', t.day)
  end
elseif redis.call('EXISTS', rec) == 1 then
  if last == t.k then redis.call('HINCRBY', rec, 'problems', -1) end
  if redis.call('HGET', rec, 'jobId') == t.jobId then redis.call('HSET', rec, 'jobId', t.previousJob or '') end
end
if t.idem ~= '' then
  local key = base .. ':idem:' .. t.idem
  local seen = redis.call('GET', key)
  if seen and cjson.decode(seen).planId == t.planId then redis.call('DEL', key) end
end
return 'removed'
`,

  /** ARGV: record key, job id. Records the job now solving the plan (the plan must exist). */
  hhcSetJob: `
if redis.call('EXISTS', ARGV[1]) == 1 then redis.call('HSET', ARGV[1], 'jobId', ARGV[2]) end
return 1
`,

  /**
   * ARGV: record key, job id, lock key, lock token, problem number, version body (JSON object
   * text without its number), the version the write must follow ('' for any). Returns {1, n}
   * written, {0, n} the job already wrote version n, {-1, 0} the job's lock is not held by this
   * token, {-2, 0} no such plan, {-3, 0} another version came after the one it must follow.
   */
  hhcAddVersion: `
local rec, jobId, lockKey, token, k, body = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
local got = redis.call('HGET', rec .. ':jobs', jobId)
if got then return {0, tonumber(got)} end
if lockKey ~= '' and redis.call('GET', lockKey) ~= token then return {-1, 0} end
if redis.call('EXISTS', rec) == 0 then return {-2, 0} end
if ARGV[7] ~= '' and tonumber(redis.call('HGET', rec, 'versions') or '0') ~= tonumber(ARGV[7]) then return {-3, 0} end
local n = redis.call('HINCRBY', rec, 'versions', 1)
redis.call('SET', rec .. ':v:' .. n, '{"version":' .. n .. ',' .. string.sub(body, 2))
redis.call('HSET', rec .. ':jobs', jobId, n)
if tonumber(redis.call('HGET', rec, 'current') or '0') < k then redis.call('HSET', rec, 'current', k) end
redis.call('DEL', rec .. ':ckpt:' .. jobId)
return {1, n}
`,

  /** ARGV: checkpoint key, lock key, lock token, checkpoint JSON. Saved only under the job's lock. */
  hhcCheckpoint: `
if ARGV[2] ~= '' and redis.call('GET', ARGV[2]) ~= ARGV[3] then return 0 end
redis.call('SET', ARGV[1], ARGV[4], 'EX', 86400)
return 1
`,
} as const;
