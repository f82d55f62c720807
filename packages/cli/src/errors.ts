// Every failure the CLI reports on purpose. `main` prints `error: <message>` and exits with
// `exitCode`: 2 when the command line itself is wrong, 1 for everything else.
export const cliErrorCodes = [
  'CLI_USAGE',
  'CLI_NOT_CONFIGURED',
  'CLI_API',
  'CLI_NETWORK',
  'CLI_ABORTED',
  'CLI_CONFIG_FILE',
  'CLI_NOT_ALLOWED',
  'CLI_NOT_FOUND',
  'CLI_BUSY',
  'CLI_RUN_FAILED',
  'CLI_INTERRUPTED',
] as const;
export type CliErrorCode = (typeof cliErrorCodes)[number];

export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly exitCode: 1 | 2;
  constructor(code: CliErrorCode, message: string, exitCode: 1 | 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** The command line is wrong: unknown command or option, a missing or malformed argument. */
export class UsageError extends CliError {
  /** The usage line of the command concerned, printed under the message. */
  readonly usage: string | null;
  constructor(message: string, usage: string | null = null) {
    super('CLI_USAGE', message, 2);
    this.usage = usage;
  }
}

/** No portal URL or no token from the flags, the environment or the config file. */
export class NotConfiguredError extends CliError {
  constructor(message: string) {
    super('CLI_NOT_CONFIGURED', message, 2);
  }
}

/** The portal answered with an error: its `{message, correlationId, code}` and the HTTP status. */
export class ApiError extends CliError {
  readonly status: number;
  readonly serverCode: string | null;
  readonly correlationId: string | null;
  /** What the CLI adds for this situation, printed under the server's message. */
  readonly explanation: string | null;
  constructor(
    status: number,
    message: string,
    serverCode: string | null,
    correlationId: string | null,
    explanation: string | null = null,
  ) {
    super('CLI_API', message, 1);
    this.status = status;
    this.serverCode = serverCode;
    this.correlationId = correlationId;
    this.explanation = explanation;
  }

  explained(explanation: string): ApiError {
    return new ApiError(this.status, this.message, this.serverCode, this.correlationId, explanation);
  }
}

/** No HTTP answer at all: refused, reset, timed out, DNS. */
export class NetworkError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLI_NETWORK', message, 1, options);
  }
}

/** The user said no at a confirmation prompt. */
export class AbortedError extends CliError {
  constructor(message: string) {
    super('CLI_ABORTED', message, 1);
  }
}

/** The config file exists but cannot be read, parsed or written. */
export class ConfigFileError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLI_CONFIG_FILE', message, 1, options);
  }
}

/** The portal said (in a field such as `canRotate`) that this caller may not do it. */
export class NotAllowedError extends CliError {
  constructor(message: string) {
    super('CLI_NOT_ALLOWED', message, 1);
  }
}

/** A name the command looked up (a deployment) is not there. */
export class NotFoundError extends CliError {
  constructor(message: string) {
    super('CLI_NOT_FOUND', message, 1);
  }
}

/** The portal says something is already in progress (a rotation run) that this would collide with. */
export class BusyError extends CliError {
  constructor(message: string) {
    super('CLI_BUSY', message, 1);
  }
}

/** A rotation run the CLI watched ended as `failed` or `cancelled`; the message carries its error. */
export class RotationRunError extends CliError {
  readonly rotationId: string;
  readonly status: 'failed' | 'cancelled';
  constructor(rotationId: string, status: 'failed' | 'cancelled', message: string) {
    super('CLI_RUN_FAILED', message, 1);
    this.rotationId = rotationId;
    this.status = status;
  }
}

/** Ctrl-C where the CLI cannot ask what to do; what keeps running is said in the message. */
export class InterruptedError extends CliError {
  constructor(message: string) {
    super('CLI_INTERRUPTED', message, 1);
  }
}
