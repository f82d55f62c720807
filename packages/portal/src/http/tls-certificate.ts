// The portal's own HTTPS certificate (STREAMGATE_TLS_CERT / STREAMGATE_TLS_KEY), read and checked
// once at start-up: every way these files can be wrong is a ConfigError that says which file and
// what to do, never a TLS stack trace on the first connection.
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.ts';

export interface TlsFiles {
  /** PEM: the server certificate, optionally followed by its intermediate CAs. */
  certPath: string;
  /** PEM: its private key (PKCS#8, PKCS#1 or SEC1), unencrypted. */
  keyPath: string;
}

/** What Node's HTTPS server takes. */
export interface TlsCertificate {
  cert: string;
  key: string;
  /** The leaf's names and expiry, for the start-up line. */
  subjectAltName: string | null;
  validTo: Date;
}

export function loadTlsCertificate(files: TlsFiles, now: Date = new Date()): TlsCertificate {
  const cert = readPem('STREAMGATE_TLS_CERT', files.certPath);
  const key = readPem('STREAMGATE_TLS_KEY', files.keyPath);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch {
    throw new ConfigError(
      `STREAMGATE_TLS_CERT (${files.certPath}) holds no PEM certificate ("-----BEGIN CERTIFICATE-----").`,
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    const encrypted = /ENCRYPTED|passphrase/i.test(`${key.slice(0, 200)} ${(error as Error).message}`);
    throw new ConfigError(
      encrypted
        ? `STREAMGATE_TLS_KEY (${files.keyPath}) is encrypted: give the portal an unencrypted key (mode 0600), e.g. 'openssl pkey -in key.pem -out key-plain.pem'.`
        : `STREAMGATE_TLS_KEY (${files.keyPath}) holds no PEM private key ("-----BEGIN PRIVATE KEY-----").`,
    );
  }
  if (!leaf.checkPrivateKey(privateKey)) {
    throw new ConfigError(
      `STREAMGATE_TLS_KEY (${files.keyPath}) is not the key of the certificate in STREAMGATE_TLS_CERT (${files.certPath}): the first certificate in that file must be the one issued for this key.`,
    );
  }
  const validFrom = new Date(leaf.validFrom);
  const validTo = new Date(leaf.validTo);
  if (validTo <= now) {
    throw new ConfigError(
      `The certificate in STREAMGATE_TLS_CERT (${files.certPath}) expired on ${validTo.toISOString()}: renew it.`,
    );
  }
  if (validFrom > now) {
    throw new ConfigError(
      `The certificate in STREAMGATE_TLS_CERT (${files.certPath}) is valid only from ${validFrom.toISOString()} (is the clock right?).`,
    );
  }
  return { cert, key, subjectAltName: leaf.subjectAltName ?? null, validTo };
}

function readPem(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'cannot be read by the portal'
          : code === 'EISDIR'
            ? 'is a directory'
            : `cannot be read (${code ?? (error as Error).message})`;
    throw new ConfigError(`${name}: ${path} ${why}.`);
  }
}
