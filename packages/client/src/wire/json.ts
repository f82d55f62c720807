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
