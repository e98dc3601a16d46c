/** Rendering: request specs to bodies (mutations applied, text operations, huge bodies). */
import { NEAR_MISSES } from './body-arbitraries.ts';
import { BASES, DAY_TEXT, type Json, type JsonObject } from './service.ts';
import { type BodySpec, type Mutation, type TextOp } from './specs.ts';

export interface NodeRef {
  parent: Json[] | JsonObject;
  key: string | number;
}

/** Every value below the root (up to `limit`), in document order. */
export function nodesOf(root: Json, limit = 20_000): NodeRef[] {
  const out: NodeRef[] = [];
  const walk = (v: Json) => {
    if (out.length >= limit) return;
    if (Array.isArray(v))
      v.forEach((x, k) => {
        out.push({ parent: v, key: k });
        walk(x);
      });
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        out.push({ parent: v, key: k });
        walk(x);
      }
  };
  walk(root);
  return out;
}

export const valueAt = (n: NodeRef): Json => (n.parent as Record<string | number, Json>)[n.key];
export const setAt = (n: NodeRef, v: Json) => {
  if (Array.isArray(n.parent)) n.parent[n.key as number] = v;
  else defineField(n.parent, n.key as string, v);
};
/** Sets a field even when its name is __proto__ (an own, enumerable field, as JSON.parse makes it). */
export const defineField = (o: JsonObject, name: string, v: Json) =>
  Object.defineProperty(o, name, { value: v, enumerable: true, writable: true, configurable: true });

export function renameField(o: JsonObject, from: string, to: string) {
  const entries = Object.entries(o).map(([k, v]) => [k === from ? to : k, v] as const);
  for (const k of Object.keys(o)) delete o[k];
  for (const [k, v] of entries) defineField(o, k, v);
}

export function nearMiss(name: string, how: number): string {
  const known = NEAR_MISSES[name];
  if (known !== undefined && how % 3 !== 0) return known[how % known.length];
  switch (how % 5) {
    case 0:
      return name.charAt(0).toUpperCase() + name.slice(1);
    case 1:
      return `${name}s`;
    case 2:
      return name.slice(0, -1) || '_';
    case 3:
      return name.length > 1 ? name[1] + name[0] + name.slice(2) : `${name}_`;
    default:
      return name.toLowerCase() === name ? `${name}_` : name.toLowerCase();
  }
}

/** Applies the mutations to a copy of `value`; raw texts go in as placeholders, swapped in after JSON.stringify. */
export function mutate(value: Json, mutations: Mutation[]): { value: Json; raws: string[] } {
  const root: { root: Json } = { root: structuredClone(value) };
  const raws: string[] = [];
  const placeholder = (text: string) => {
    raws.push(text);
    return `\u0000RAW${raws.length - 1}\u0000`;
  };
  for (const m of mutations) {
    const nodes = nodesOf(root.root);
    const all: NodeRef[] = [{ parent: root as unknown as JsonObject, key: 'root' }, ...nodes];
    const at = (k: number) => (nodes.length === 0 ? all[0] : nodes[k % nodes.length]);
    switch (m.op) {
      case 'drop': {
        if (nodes.length === 0) break;
        const n = at(m.at);
        if (Array.isArray(n.parent)) n.parent.splice(n.key as number, 1);
        else delete n.parent[n.key as string];
        break;
      }
      case 'rename': {
        const fields = nodes.filter((n) => !Array.isArray(n.parent));
        if (fields.length === 0) break;
        const n = fields[m.at % fields.length];
        renameField(n.parent as JsonObject, n.key as string, nearMiss(n.key as string, m.how));
        break;
      }
      case 'set':
        setAt(at(m.at), structuredClone(m.value));
        break;
      case 'raw':
        setAt(at(m.at), placeholder(m.text));
        break;
      case 'extra': {
        const objects = all
          .map(valueAt)
          .filter((v): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v));
        if (objects.length === 0) break;
        defineField(objects[m.at % objects.length], m.name, structuredClone(m.value));
        break;
      }
      case 'wrap': {
        const containers = all.filter((n) => {
          const v = valueAt(n);
          return v !== null && typeof v === 'object';
        });
        if (containers.length === 0) break;
        const n = containers[m.at % containers.length];
        const v = valueAt(n);
        // An array where an object goes, an object where an array goes.
        setAt(
          n,
          Array.isArray(v) ? (Object.fromEntries(v.map((x, k) => [String(k), x])) as JsonObject) : [v],
        );
        break;
      }
      case 'dupId': {
        const withIds = all
          .map(valueAt)
          .filter(
            (v): v is JsonObject =>
              v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.id === 'string',
          );
        if (withIds.length < 2) break;
        const from = withIds[m.from % withIds.length];
        const to = withIds[m.to % withIds.length];
        to.id = from === to ? withIds[(m.to + 1) % withIds.length].id : from.id;
        break;
      }
      case 'ghostRef': {
        const strings = nodes.filter((n) => typeof valueAt(n) === 'string');
        if (strings.length === 0) break;
        setAt(strings[m.at % strings.length], `ghost-${m.at % 97}`);
        break;
      }
      case 'longString': {
        const strings = nodes.filter((n) => typeof valueAt(n) === 'string');
        const n = strings.length === 0 ? at(m.at) : strings[m.at % strings.length];
        setAt(n, m.char.repeat(m.length));
        break;
      }
      case 'bigList': {
        const o = root.root;
        if (o === null || typeof o !== 'object' || Array.isArray(o)) break;
        const list =
          Array.isArray(o[m.field]) && (o[m.field] as Json[]).length > 0 ? (o[m.field] as Json[]) : [{}];
        o[m.field] = Array.from({ length: m.count }, (_, k) => {
          const item = list[k % list.length];
          if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
          const o = item as JsonObject;
          return typeof o.id === 'string' ? { ...o, id: `${o.id}-${k}` } : o;
        });
        break;
      }
    }
  }
  return { value: root.root, raws };
}

export function applyText(text: string, op: TextOp): string | Buffer {
  switch (op.op) {
    case 'none':
      return text;
    case 'truncate':
      return text.slice(0, Math.floor(text.length * op.fraction));
    case 'append':
      return text + op.text;
    case 'prepend':
      return op.text + text;
    case 'dupKey':
      return text.startsWith('{') ? `{"${op.key}":${op.value},${text.slice(1)}` : text;
    case 'badBytes': {
      const bytes = Buffer.from(text, 'utf8');
      const at = Math.floor(bytes.length * op.at);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(op.bytes), bytes.subarray(at)]);
    }
    case 'replace':
      return op.text;
  }
}

export const hugeBodies = new Map<number, string>();
/** A body of `bytes` bytes (valid JSON, a padded problem), made once. */
export function hugeBody(bytes: number): string {
  let text = hugeBodies.get(bytes);
  if (text === undefined) {
    const head = `{"name":"`;
    const tail = `",${DAY_TEXT.slice(1)}`;
    text = head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail;
    hugeBodies.set(bytes, text);
  }
  return text;
}

/** The bytes of a body spec (undefined: no body). */
export function renderBody(body: BodySpec): string | Buffer | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'huge':
      return hugeBody(body.bytes);
    case 'problem':
    case 'json': {
      const start: Json = body.kind === 'problem' ? BASES[body.base] : body.value;
      const { value, raws } = mutate(start, body.mutations);
      let text = JSON.stringify(value) ?? 'null';
      raws.forEach((raw, k) => {
        text = text.replace(JSON.stringify(`\u0000RAW${k}\u0000`), () => raw);
      });
      return applyText(text, body.text);
    }
  }
}
