// TLS for a test stack, as `./streamgate up --tls` sets it up: a private CA in the data dir, the
// portal on HTTPS and the broker's client listener on SASL_SSL with a certificate from it.
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import type { BrokerTlsFiles } from '../../../kafka/tls-listener.ts';
import { ensureLocalTls } from '../../../scripts/local-ca.ts';

export interface StackTls {
  /** `<data dir>/tls/ca.pem`: what clients must trust. */
  caCertPath: string;
  caCertPem: string;
  /** The portal's settings: its certificate, and SASL_SSL with the CA for its Kafka admin. */
  portalEnv: Record<string, string>;
  broker: BrokerTlsFiles;
}

/**
 * Generates the CA and the server certificate into `dataDir`, and makes this test process trust
 * the CA for connections that name no CA of their own (global fetch included), so that the
 * tests' own admin calls work over HTTPS. Clients whose trust a test checks run as child
 * processes, with or without the CA, so this never hides a refusal.
 */
export async function prepareStackTls(dataDir: string): Promise<StackTls> {
  const tls = await ensureLocalTls(dataDir);
  setDefaultCACertificates([...new Set([...getCACertificates('default'), tls.caCertPem])]);
  return {
    caCertPath: tls.caCertPath,
    caCertPem: tls.caCertPem,
    portalEnv: {
      STREAMGATE_TLS_CERT: tls.certPath,
      STREAMGATE_TLS_KEY: tls.keyPath,
      STREAMGATE_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      STREAMGATE_KAFKA_CA_PEM: tls.caCertPem,
    },
    broker: { certPath: tls.certPath, keyPath: tls.keyPath, caCertPath: tls.caCertPath },
  };
}

/** A CA and a server certificate in `dataDir`, as --tls makes them, with nothing trusted. */
export function localCertificates(dataDir: string) {
  return ensureLocalTls(dataDir);
}
