// JSON that keeps integers beyond 2^53 exact (nanosecond timestamps are ~1.7e18).

type ReviverContext = { source?: string };

function reviveBigIntegers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    !Number.isSafeInteger(value) &&
    context?.source !== undefined &&
    /^-?\d+$/.test(context.source)
  ) {
    return BigInt(context.source);
  }
  return value;
}

const longInteger = /\d{16}/;

/** JSON.parse, except that integers too large for a double arrive as exact bigints. */
export function parseJson(text: string): unknown {
  // The reviver costs a call per value; skip it when no number can be that long.
  if (!longInteger.test(text)) return JSON.parse(text);
  return JSON.parse(text, reviveBigIntegers as (key: string, value: unknown) => unknown);
}

/** A JSON number or bigint as an exact integer. */
export function toBigInt(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return null;
}

// What follows reads the source text of a few members after a plain JSON.parse: a reviver is
// called for every value (with its source text), which made it 80% of decoding a 1,000-row
// TimeseriesData message (profiled), when only its Timestamps need exact integers.

function skipWhitespace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** From an opening quote to just after its closing quote. */
function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) i++;
  }
  return i;
}

/** From the first character of a value to just after it (the text is valid JSON). */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === 0x22) return skipString(text, i);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i = skipString(text, i);
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
      i++;
    }
    return i;
  }
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
    i++;
  }
  return i;
}

/** Where each top-level member's value starts, by name as written (the text is a valid JSON object). */
function memberStarts(text: string, wanted: ReadonlySet<string>): Map<string, number> {
  const found = new Map<string, number>();
  let i = skipWhitespace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return found;
  i = skipWhitespace(text, i + 1);
  while (i < text.length && text.charCodeAt(i) === 0x22 && found.size < wanted.size) {
    const end = skipString(text, i);
    const name = text.slice(i + 1, end - 1);
    i = skipWhitespace(text, end);
    i = skipWhitespace(text, i + 1); // past ':'
    if (wanted.has(name)) found.set(name, i);
    i = skipWhitespace(text, skipValue(text, i));
    if (text.charCodeAt(i) !== 0x2c) break;
    i = skipWhitespace(text, i + 1);
  }
  return found;
}

function isLongInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
}

/**
 * The exact value of the number whose source starts at `start` when it is written as an integer
 * (else `parsed`), and where its source ends.
 */
function exactAt(text: string, start: number, parsed: number): { value: number | bigint; end: number } {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  const digits = i;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
  }
  const next = text.charCodeAt(i);
  if (i === digits || next === 0x2e || next === 0x65 || next === 0x45) {
    // Written with a fraction or an exponent: not an integer in the source.
    return { value: parsed, end: skipValue(text, start) };
  }
  return { value: BigInt(text.slice(start, i)), end: i };
}

/** Replaces the long integers of one member's value (a number or an array of numbers) with exact bigints. */
function exactMember(text: string, start: number, value: unknown): unknown {
  if (isLongInteger(value)) return exactAt(text, start, value).value;
  if (!Array.isArray(value) || !value.some(isLongInteger)) return value;
  const exact: unknown[] = value.slice();
  let i = skipWhitespace(text, start + 1);
  for (let n = 0; n < exact.length; n++) {
    const element = exact[n];
    let end: number;
    if (isLongInteger(element)) {
      const number = exactAt(text, i, element);
      exact[n] = number.value;
      end = number.end;
    } else end = skipValue(text, i);
    i = skipWhitespace(text, skipWhitespace(text, end) + 1); // past ','
  }
  return exact;
}

/**
 * JSON.parse of an object in which only the named top-level members keep integers beyond 2^53
 * exact (as bigints, like parseJson); elsewhere such integers are doubles. Members whose name is
 * written with escapes are not found by the scan: then everything goes through parseJson.
 */
export function parseJsonExactMembers(text: string, members: readonly string[]): unknown {
  const parsed: unknown = JSON.parse(text);
  if (!longInteger.test(text) || parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return parsed;
  }
  const body = parsed as Record<string, unknown>;
  const inexact = members.filter(
    (name) => isLongInteger(body[name]) || (Array.isArray(body[name]) && body[name].some(isLongInteger)),
  );
  if (inexact.length === 0) return body;
  const starts = memberStarts(text, new Set(inexact));
  if (starts.size < inexact.length) return parseJson(text);
  for (const name of inexact) body[name] = exactMember(text, starts.get(name)!, body[name]);
  return body;
}
