// The private CA of a local stack started with `--tls`: generated once into <data dir>/tls, and
// the server certificate it signs (used by the portal's HTTPS and the broker's SASL_SSL listener)
// issued again when it nears expiry, when the names it must cover change, or when it no longer
// belongs to the CA. node-forge signs (pure JavaScript, from the npm registry); node:crypto makes
// the keys and checks the result.
import { createPrivateKey, generateKeyPair, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { ConfigError } from '../packages/portal/src/config.ts';

export interface LocalTls {
  dir: string;
  /** The CA certificate clients must trust (`<data dir>/tls/ca.pem`). */
  caCertPath: string;
  caCertPem: string;
  /** The server certificate (PEM, the leaf alone: clients hold the CA). */
  certPath: string;
  /** Its private key (PKCS#8 PEM, mode 0600). */
  keyPath: string;
  /** The names the server certificate covers (DNS names and IP addresses). */
  names: string[];
  /** What this call did, for the start-up message. */
  created: { ca: boolean; server: boolean };
}

export interface LocalTlsOptions {
  /** Names besides localhost, 127.0.0.1 and ::1 (a listening address, the public URL's host). */
  extraNames?: string[];
  now?: Date;
}

const day = 86_400_000;
const caLifetimeDays = 3650;
const serverLifetimeDays = 365;
/** Issued again once fewer days than this remain, so a stack restarted now and then never serves an expired one. */
const renewWithinDays = 30;
const defaultNames = ['localhost', '127.0.0.1', '::1'];
const caName = [
  { name: 'commonName', value: 'Streamgate local CA' },
  { name: 'organizationName', value: 'Streamgate (generated for this data dir)' },
];

export async function ensureLocalTls(dataDir: string, options: LocalTlsOptions = {}): Promise<LocalTls> {
  const now = options.now ?? new Date();
  const dir = join(dataDir, 'tls');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = {
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca-key.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server-key.pem'),
  };
  for (const key of [paths.caKey, paths.key]) refuseExposed(key);
  const names = normaliseNames([...defaultNames, ...(options.extraNames ?? [])]);

  let ca = loadCa(paths.caCert, paths.caKey, now);
  const created = { ca: false, server: false };
  if (!ca) {
    ca = await newCa(now);
    writeAtomically(paths.caKey, ca.keyPem, 0o600);
    writeAtomically(paths.caCert, ca.certPem, 0o644);
    created.ca = true;
  }
  if (!serverStillGood(paths.cert, paths.key, ca.cert, names, now)) {
    const server = await newServerCertificate(ca, names, now);
    writeAtomically(paths.key, server.keyPem, 0o600);
    writeAtomically(paths.cert, server.certPem, 0o644);
    created.server = true;
  }
  return {
    dir,
    caCertPath: paths.caCert,
    caCertPem: ca.certPem,
    certPath: paths.cert,
    keyPath: paths.key,
    names,
    created,
  };
}

interface Ca {
  cert: X509Certificate;
  certPem: string;
  keyPem: string;
}

/** The existing CA, unless a file is missing or unreadable, or it expires soon (then a new one). */
function loadCa(certPath: string, keyPath: string, now: Date): Ca | null {
  if (!existsSync(certPath) || !existsSync(keyPath)) return null;
  try {
    const certPem = readFileSync(certPath, 'utf8');
    const keyPem = readFileSync(keyPath, 'utf8');
    const cert = new X509Certificate(certPem);
    if (!cert.ca || !cert.checkPrivateKey(createPrivateKey(keyPem))) return null;
    if (Date.parse(cert.validTo) - now.getTime() < renewWithinDays * day) return null;
    return { cert, certPem, keyPem };
  } catch {
    return null;
  }
}

function serverStillGood(
  certPath: string,
  keyPath: string,
  ca: X509Certificate,
  names: string[],
  now: Date,
): boolean {
  if (!existsSync(certPath) || !existsSync(keyPath)) return false;
  try {
    const cert = new X509Certificate(readFileSync(certPath, 'utf8'));
    return (
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      cert.checkPrivateKey(createPrivateKey(readFileSync(keyPath, 'utf8'))) &&
      Date.parse(cert.validFrom) <= now.getTime() &&
      Date.parse(cert.validTo) - now.getTime() >= renewWithinDays * day &&
      sameNames(namesOf(cert), names)
    );
  } catch {
    return false;
  }
}

async function newCa(now: Date): Promise<Ca> {
  const key = await rsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + caLifetimeDays * day);
  cert.setSubject(caName);
  cert.setIssuer(caName);
  cert.setExtensions([
    // pathLen 0: this CA signs server certificates, never another CA.
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key.privateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return { cert: new X509Certificate(certPem), certPem, keyPem: key.pem };
}

async function newServerCertificate(
  ca: Ca,
  names: string[],
  now: Date,
): Promise<{ certPem: string; keyPem: string }> {
  const key = await rsaKey();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(
    Math.min(now.getTime() + serverLifetimeDays * day, caCert.validity.notAfter.getTime()),
  );
  cert.setSubject([{ name: 'commonName', value: names[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: names.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })),
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: key.pem };
}

/** RSA 2048 made by node:crypto (fast, native); node-forge gets it only to sign with. */
async function rsaKey(): Promise<{
  pem: string;
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
}> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { pem, privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

/** 16 random bytes, the top bit clear so the DER integer stays positive. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function normaliseNames(names: string[]): string[] {
  const out: string[] = [];
  for (const raw of names) {
    const name = raw
      .trim()
      .replace(/^\[(.*)\]$/, '$1')
      .toLowerCase();
    // A wildcard listening address is no name a client connects to.
    if (!name || name === '0.0.0.0' || name === '::') continue;
    if (!isIP(name) && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(name)) {
      throw new ConfigError(`'${raw}' cannot be a name in a TLS certificate (a host name or an IP address).`);
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** The DNS names and IP addresses of a certificate's subjectAltName. */
export function namesOf(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .map((entry) => /^(?:DNS:|IP Address:)(.*)$/.exec(entry)?.[1]?.toLowerCase())
    .filter((name): name is string => Boolean(name))
    .map((name) => (isIP(name) === 6 ? compactIpv6(name) : name));
}

/** OpenSSL prints IPv6 SANs in full (0:0:0:0:0:0:0:1); compare them in the short form. */
function compactIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.replace(/^\[(.*)\]$/, '$1');
}

function sameNames(a: string[], b: string[]): boolean {
  const norm = (names: string[]) =>
    [...new Set(names.map((n) => (isIP(n) === 6 ? compactIpv6(n) : n)))].sort().join(',');
  return norm(a) === norm(b);
}

/** A key that other users could read may have been copied: refuse it, as the portal refuses an exposed secret key. */
function refuseExposed(path: string): void {
  if (!existsSync(path)) return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(
      `${path} is a private key but is readable by other users (mode ${mode.toString(8).padStart(4, '0')}): run 'chmod 600 ${path}' and consider it leaked (delete it to have a new one generated).`,
    );
  }
}

/** Written beside and renamed into place, so a crash never leaves half a key or certificate. */
function writeAtomically(path: string, text: string, mode: number): void {
  const scratch = `${path}.tmp-${process.pid}`;
  writeFileSync(scratch, text, { mode });
  chmodSync(scratch, mode);
  renameSync(scratch, path);
}
