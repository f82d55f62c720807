import { configFilePath, readConfigFile } from './config-file.ts';
import { NotConfiguredError, UsageError } from './errors.ts';

export interface Connection {
  url: string;
  token: string;
  /** Where each part came from, for `whoami` and for messages. */
  urlSource: 'flag' | 'env' | 'config';
  tokenSource: 'flag' | 'env' | 'config';
}

/** `http(s)://host[:port][/prefix]` without a trailing slash: paths are appended as they are. */
export function normalisePortalUrl(input: string, from: string): string {
  let parsed: URL;
  try {
    parsed = new URL(input.trim());
  } catch {
    throw new UsageError(`${from} must be an http:// or https:// URL, e.g. http://127.0.0.1:8700.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`${from} must be an http:// or https:// URL, e.g. http://127.0.0.1:8700.`);
  }
  if (parsed.username || parsed.password) {
    throw new UsageError(`${from} must not carry a user name or password; the token authenticates.`);
  }
  if (parsed.search || parsed.hash) {
    throw new UsageError(`${from} must not have a query or a fragment.`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** Trimmed; refused (without quoting it) when it could not be sent in an HTTP header. */
export function checkTokenText(input: string, from: string): string {
  const token = input.trim();
  if (token.length === 0) throw new UsageError(`${from} is empty.`);
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError(`${from} contains spaces or characters that a token never has (a bad copy?).`);
  }
  return token;
}

/** True for addresses that never leave the machine, where plain HTTP exposes nothing. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The portal and token to use: `--url`/`--token`, else `STREAMGATE_URL`/`STREAMGATE_TOKEN`,
 * else the config file `login` wrote. The saved token is only ever sent to the saved URL.
 */
export async function resolveConnection(
  flags: { url: string | undefined; token: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<{ connection: Connection; warnings: string[] }> {
  const warnings: string[] = [];
  const path = configFilePath(env);
  const envUrl = env.STREAMGATE_URL?.trim() || undefined;
  const envToken = env.STREAMGATE_TOKEN?.trim() || undefined;
  const needsFile = (flags.url ?? envUrl) === undefined || (flags.token ?? envToken) === undefined;
  const file = needsFile ? await readConfigFile(path) : { config: null, warning: null };
  if (file.warning) warnings.push(file.warning);

  let url: string;
  let urlSource: Connection['urlSource'];
  if (flags.url !== undefined) [url, urlSource] = [normalisePortalUrl(flags.url, '--url'), 'flag'];
  else if (envUrl !== undefined) [url, urlSource] = [normalisePortalUrl(envUrl, 'STREAMGATE_URL'), 'env'];
  else if (file.config) [url, urlSource] = [normalisePortalUrl(file.config.url, path), 'config'];
  else {
    throw new NotConfiguredError(
      "No portal URL: pass --url, set STREAMGATE_URL, or run 'streamgate-cli login --url <portal> --token <pat>'.",
    );
  }

  let token: string;
  let tokenSource: Connection['tokenSource'];
  if (flags.token !== undefined) [token, tokenSource] = [checkTokenText(flags.token, '--token'), 'flag'];
  else if (envToken !== undefined)
    [token, tokenSource] = [checkTokenText(envToken, 'STREAMGATE_TOKEN'), 'env'];
  else if (file.config) {
    // The saved token belongs to the saved portal: never send it to another URL.
    const savedUrl = normalisePortalUrl(file.config.url, path);
    if (savedUrl !== url) {
      throw new NotConfiguredError(
        `The saved token is for ${savedUrl}, not ${url}: pass --token or set STREAMGATE_TOKEN for that portal.`,
      );
    }
    [token, tokenSource] = [checkTokenText(file.config.token, path), 'config'];
  } else {
    throw new NotConfiguredError(
      "Not logged in: pass --token, set STREAMGATE_TOKEN, or run 'streamgate-cli login --url <portal> --token <pat>'.",
    );
  }

  if (!isLoopbackUrl(url) && url.startsWith('http:')) {
    warnings.push(`${url} is plain HTTP: the token travels unencrypted. Use https:// beyond this machine.`);
  }
  return { connection: { url, token, urlSource, tokenSource }, warnings };
}
