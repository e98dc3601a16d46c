/**
 * A stored JSON object (a plan version, kept as text) with some fields put first, as JSON text:
 * the stored text is sent as it is, never parsed and re-serialized on the event loop (a
 * 20,000-visit plan is megabytes). A field of `head` that the stored object also has is given
 * twice; JSON.parse keeps the last one, the stored one (as `{...head, ...stored}` did).
 */
export function withFields(head: Record<string, unknown>, stored: string): string {
  const body = stored.trimStart();
  if (!body.startsWith('{')) throw new Error('a stored version is not a JSON object');
  const fields = JSON.stringify(head).slice(1, -1);
  const rest = body.slice(1).trimStart();
  if (fields === '') return body;
  return rest.startsWith('}') ? `{${fields}}` : `{${fields},${rest}`;
}
