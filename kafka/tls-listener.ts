// TLS for the broker's client listener (SASL_SSL) and for the broker's own HTTPS calls to the
// portal (the JWKS that OAUTHBEARER validation fetches, the token endpoint the PLAIN plugin asks).
//
// Measured with Kafka 4.4:
// - The listener takes its certificate and key as one PEM file (`ssl.keystore.type=PEM`,
//   KIP-651): no keytool for the server side.
// - The JWKS retriever takes no truststore from server.properties; it reads `ssl.truststore.*`
//   from options on the listener's OAUTHBEARER JAAS line, but any option there makes the server's
//   login module mint an unsecured token at start-up and the broker exits ("No principal name in
//   JWT claim: sub"; KAFKA-21143). Without options the retriever uses the JVM's default trust
//   (without the CA there: "PKIX path building failed", and the broker exits), as the PLAIN
//   plugin's java.net.http client does. So the JVM gets `javax.net.ssl.trustStore`: a PKCS12
//   truststore holding the CA, made with the JDK's keytool (the JDK reads no PEM truststore).
import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What startKafka is given: PEM files, as `./streamgate up --tls` writes them (scripts/local-ca.ts). */
export interface BrokerTlsFiles {
  /** The client listener's certificate (PEM; its intermediates may follow). */
  certPath: string;
  /** Its private key (PEM, unencrypted). */
  keyPath: string;
  /**
   * The CA that clients verify the listener with, and that the broker trusts for its HTTPS calls
   * to the portal (so the portal's certificate must come from it too).
   */
  caCertPath: string;
}

/** The files and settings derived from BrokerTlsFiles for one data dir. */
export interface BrokerTls {
  /** Key and certificate chain in one file (0600), for `ssl.keystore.location`. */
  keystorePath: string;
  truststorePath: string;
  /** A PKCS12 truststore needs a password; it guards nothing secret (CA certificates only). */
  truststorePassword: string;
  caCertPem: string;
  /** How this process's Kafka clients (readiness, warm-up) verify the listener. */
  clientTls: ConnectionOptions;
}

const truststorePassword = 'streamgate-truststore';

export async function prepareBrokerTls(dataDir: string, files: BrokerTlsFiles): Promise<BrokerTls> {
  const [certPem, keyPem, caCertPem] = await Promise.all(
    [files.certPath, files.keyPath, files.caCertPath].map((path) => readFile(path, 'utf8')),
  );
  const leaf = new X509Certificate(certPem!);
  const ca = new X509Certificate(caCertPem!);
  if (!leaf.checkPrivateKey(createPrivateKey(keyPem!))) {
    throw new Error(`The broker's TLS key (${files.keyPath}) is not the key of ${files.certPath}.`);
  }
  if (!leaf.verify(ca.publicKey) && !certPem!.includes(caCertPem!.trim())) {
    // A chain through intermediates is left to the clients to judge; a leaf the CA did not sign
    // directly and whose chain does not include it is a configuration mistake.
    throw new Error(`The broker's TLS certificate (${files.certPath}) is not issued by ${files.caCertPath}.`);
  }
  const dir = join(dataDir, 'tls');
  await mkdir(dir, { recursive: true, mode: 0o700 });

  // Kafka's PEM keystore: the private key, then the certificate chain, in one file.
  const keystorePath = join(dir, 'client-listener.pem');
  await writeAtomically(keystorePath, `${pkcs8(keyPem!)}${certPem!.trimEnd()}\n`, 0o600);

  // One truststore per CA: made once, reused by every start with the same CA.
  const fingerprint = createHash('sha256').update(ca.raw).digest('hex').slice(0, 16);
  const truststorePath = join(dir, `truststore-${fingerprint}.p12`);
  if (!existsSync(truststorePath)) await createTruststore(truststorePath, files.caCertPath);

  return {
    keystorePath,
    truststorePath,
    truststorePassword,
    caCertPem: caCertPem!,
    clientTls: { ca: caCertPem!, rejectUnauthorized: true },
  };
}

/** The client listener's TLS lines of server.properties (listener-prefixed: the others stay SASL_PLAINTEXT). */
export function clientListenerTlsEntries(listener: string, keystorePath: string): [string, string][] {
  const prefix = `listener.name.${listener.toLowerCase()}.`;
  return [
    [`${prefix}ssl.keystore.type`, 'PEM'],
    [`${prefix}ssl.keystore.location`, keystorePath],
    // Clients authenticate with SASL inside the TLS session, not with certificates.
    [`${prefix}ssl.client.auth`, 'none'],
  ];
}

/** JVM flags: the default trust of the broker's own HTTPS clients is this CA. */
export function jvmTrustArguments(tls: BrokerTls): string[] {
  return [
    `-Djavax.net.ssl.trustStore=${tls.truststorePath}`,
    `-Djavax.net.ssl.trustStoreType=PKCS12`,
    `-Djavax.net.ssl.trustStorePassword=${tls.truststorePassword}`,
  ];
}

async function createTruststore(path: string, caCertPath: string): Promise<void> {
  const scratch = `${path}.tmp-${process.pid}`;
  await rm(scratch, { force: true });
  const keytool = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'keytool') : 'keytool';
  try {
    await run(
      keytool,
      [
        '-importcert',
        '-noprompt',
        '-alias',
        'streamgate-ca',
        '-file',
        caCertPath,
        '-storetype',
        'PKCS12',
        '-keystore',
        scratch,
        '-storepass',
        truststorePassword,
      ],
      { timeout: 60_000 },
    );
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
    const hint =
      e.code === 'ENOENT' ? ' (is a JDK 17+ installed, with keytool on PATH or JAVA_HOME set?)' : '';
    throw new Error(
      `Could not make the broker's truststore with keytool${hint}: ${e.stderr || e.stdout || e.message}`,
      {
        cause: error,
      },
    );
  }
  await rename(scratch, path);
}

/** Kafka's PEM keystore reads PKCS#8 keys only ("BEGIN PRIVATE KEY"); a PKCS#1 or SEC1 key is converted. */
function pkcs8(keyPem: string): string {
  if (keyPem.includes('-----BEGIN PRIVATE KEY-----')) return `${keyPem.trimEnd()}\n`;
  return createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem' }).toString();
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const scratch = `${path}.tmp-${process.pid}`;
  await writeFile(scratch, text, { mode });
  await chmod(scratch, mode);
  await rename(scratch, path);
}
