import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Streaming tokens look like `sgs_` + 32 base62 characters (190 random bits) + 6 base62
 * characters of CRC32 over the body. The prefix lets secret scanners recognise a leaked token;
 * the checksum lets the portal refuse a typo or a truncated copy before any database lookup.
 */
export const streamingTokenPrefix = 'sgs_';
const bodyLength = 32;
const checksumLength = 6;
const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const shape = new RegExp(`^${streamingTokenPrefix}[0-9A-Za-z]{${bodyLength + checksumLength}}$`);

function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = alphabet[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function checksumOf(body: string): string {
  return base62(crc32(body) >>> 0, checksumLength);
}

export function generateStreamingToken(): string {
  // Rejection sampling keeps every character uniform (256 is not a multiple of 62).
  let body = '';
  while (body.length < bodyLength) {
    for (const byte of randomBytes(48)) {
      if (byte < 248 && body.length < bodyLength) body += alphabet[byte % 62];
    }
  }
  return `${streamingTokenPrefix}${body}${checksumOf(body)}`;
}

export type StreamingTokenShape = 'valid' | 'not-a-streaming-token' | 'malformed' | 'bad-checksum';

/** The number a base62 string spells (the shape check has made sure every character is base62). */
function base62Value(text: string, from: number): number {
  let value = 0;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    value = value * 62 + (code <= 57 ? code - 48 : code <= 90 ? code - 55 : code - 61);
  }
  return value;
}

/** Runs on every streaming-token request, before any lookup: no strings built, one CRC32. */
export function checkStreamingTokenShape(candidate: string): StreamingTokenShape {
  if (!candidate.startsWith(streamingTokenPrefix)) return 'not-a-streaming-token';
  if (!shape.test(candidate)) return 'malformed';
  const checksumAt = streamingTokenPrefix.length + bodyLength;
  const body = candidate.slice(streamingTokenPrefix.length, checksumAt);
  return crc32(body) >>> 0 === base62Value(candidate, checksumAt) ? 'valid' : 'bad-checksum';
}
