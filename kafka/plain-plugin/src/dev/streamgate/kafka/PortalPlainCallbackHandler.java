package dev.streamgate.kafka;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks SASL/PLAIN logins against the Streamgate portal: username = a streaming token's broker
 * principal ({@code sgt-<tokenId>}), password = that streaming token. Clients that cannot speak
 * OAUTHBEARER (librdkafka before 2.x inside the legacy QuixStreamingClient) log in this way; the
 * principal's ACLs then authorize them exactly like the JWT clients of the same token.
 *
 * <p>Configured through the PLAIN mechanism's JAAS options on the listener:
 * {@code streamgate.token.endpoint.url} (the portal's {@code /oauth/token}, required),
 * {@code streamgate.verdict.cache.ms} (default 3000, at most 10000) and
 * {@code streamgate.request.timeout.ms} (default 5000).
 *
 * <p>Never logs or keeps a password: the cache is keyed by its SHA-256.
 */
public final class PortalPlainCallbackHandler implements AuthenticateCallbackHandler {
  private static final Logger log = LoggerFactory.getLogger(PortalPlainCallbackHandler.class);
  static final String urlOption = "streamgate.token.endpoint.url";
  static final String cacheOption = "streamgate.verdict.cache.ms";
  static final String timeoutOption = "streamgate.request.timeout.ms";
  /** A verdict may outlive a rotation by this much at most; the issue allows "a few seconds". */
  static final long maxCacheMs = 10_000;

  private PortalTokenCheck portal;
  private VerdictCache cache;

  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    if (!"PLAIN".equals(saslMechanism)) {
      throw new IllegalArgumentException(
          "PortalPlainCallbackHandler checks SASL/PLAIN only, not " + saslMechanism);
    }
    String url = option(jaasConfigEntries, urlOption, null);
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException(
          "The PLAIN JAAS config needs " + urlOption + "=\"<portal>/oauth/token\" (an http(s) URL)");
    }
    long cacheMs = Long.parseLong(option(jaasConfigEntries, cacheOption, "3000"));
    if (cacheMs < 0 || cacheMs > maxCacheMs) {
      throw new IllegalArgumentException(cacheOption + " must be from 0 to " + maxCacheMs);
    }
    long timeoutMs = Long.parseLong(option(jaasConfigEntries, timeoutOption, "5000"));
    portal = new PortalTokenCheck(url, timeoutMs);
    cache = new VerdictCache(cacheMs);
    log.info("Streamgate PLAIN logins are checked at {} (verdicts cached {} ms)", url, cacheMs);
  }

  private static String option(List<AppConfigurationEntry> entries, String name, String fallback) {
    String value = JaasContext.configEntryOption(entries, name, PlainLoginModule.class.getName());
    return value == null || value.isEmpty() ? fallback : value;
  }

  @Override
  public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
    String username = null;
    for (Callback callback : callbacks) {
      if (callback instanceof NameCallback) {
        username = ((NameCallback) callback).getDefaultName();
      } else if (callback instanceof PlainAuthenticateCallback) {
        PlainAuthenticateCallback plain = (PlainAuthenticateCallback) callback;
        plain.authenticated(authenticate(username, plain.password()));
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  /**
   * True when the portal says the password is an active streaming token whose principal is the
   * username. A portal that cannot answer throws: Kafka then refuses the login ("credentials for
   * user could not be verified") rather than letting anyone in.
   */
  private boolean authenticate(String username, char[] password) throws IOException {
    if (username == null || !PortalTokenCheck.plausible(username, password)) return false;
    String key = VerdictCache.key(username, password);
    Boolean cached = cache.get(key);
    if (cached != null) return cached;
    boolean verdict = portal.isActiveTokenOf(username, password);
    cache.put(key, verdict);
    if (!verdict) log.info("PLAIN login as {} refused: the portal does not accept its token", username);
    return verdict;
  }

  @Override
  public void close() {}
}
