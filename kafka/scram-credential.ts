// The `--add-scram` argument for `kafka-storage format`, which seeds the portal's admin principal.
import { pbkdf2Sync, randomBytes } from 'node:crypto';

/** SCRAM-SHA-512 accepts 4096..16384 iterations; 8192 keeps a login cheap and brute force dear. */
const iterations = 8192;

/**
 * Kafka's format tool splits the credential on ',' without any escaping, so a password cannot be
 * passed as is. We pass the salted password (RFC 5802 Hi(), i.e. PBKDF2-HMAC-SHA-512 over the
 * UTF-8 password, as Kafka's ScramFormatter computes it) and the salt, both base64, which also
 * keeps the plain password out of the process list.
 */
export function scramFormatArgument(user: string, password: string): string {
  assertAdminCredentials(user, password);
  const salt = randomBytes(32);
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 64, 'sha512');
  return `SCRAM-SHA-512=[name=${user},salt=${salt.toString('base64')},saltedpassword=${salted.toString('base64')},iterations=${iterations}]`;
}

/**
 * The user name also lands in `super.users` (`;`-separated) and in the `--add-scram` argument
 * (`,`-separated), so it is restricted to characters neither can misread.
 */
export function assertAdminCredentials(user: string, password: string): void {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(user)) {
    throw new TypeError('The Kafka admin user name may only contain letters, digits, ".", "_" and "-".');
  }
  if (password.length === 0) throw new TypeError('The Kafka admin password must not be empty.');
}
