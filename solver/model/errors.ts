/** Stable, typed error codes: scripts may rely on `code`; `message` is for people. */
export type InputErrorCode =
  | 'E_TYPE'
  | 'E_MISSING'
  | 'E_RANGE'
  | 'E_WINDOW_ORDER'
  | 'E_MATRIX_SIZE'
  | 'E_UNKNOWN_REF'
  | 'E_DUPLICATE_ID'
  | 'E_FORMAT'
  | 'E_UNSUPPORTED'
  | 'E_CONFLICT'
  | 'E_CYCLE'
  | 'E_UNKNOWN_FIELD'
  | 'E_LIMIT';

export interface InputIssue {
  code: InputErrorCode;
  /** JSON pointer (RFC 6901) to the bad field, or `line N` for text formats. */
  where: string;
  message: string;
}

/** Thrown for input the solver cannot accept; carries every problem found, not just the first. */
export class InputError extends Error {
  readonly issues: InputIssue[];
  constructor(issues: InputIssue[]) {
    super(issues.map((i) => `${i.where}: ${i.message}`).join('\n'));
    this.name = 'InputError';
    this.issues = issues;
  }
}

/** Escapes one JSON-pointer reference token (RFC 6901). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}
