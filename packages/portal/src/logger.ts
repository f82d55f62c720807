/** The few log calls the services make outside a request (pino's shape). */
export interface PortalLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentLogger: PortalLogger = { info() {}, warn() {}, error() {} };
