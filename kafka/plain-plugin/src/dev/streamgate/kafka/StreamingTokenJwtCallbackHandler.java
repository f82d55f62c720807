package dev.streamgate.kafka;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's own JWT validation (signature against the portal's JWKS, issuer, audience, expiry),
 * then one more rule: the subject must be a streaming token's principal ({@code sgt-<tokenId>}).
 * The principal of an OAUTHBEARER login is {@code User:<sub>}, the same namespace as the portal's
 * admin (a super user); without this rule, a JWT whose sub names the admin, signed by any key the
 * JWKS publishes, would be the admin. The portal only mints {@code sgt-} subjects and the admin
 * name may not start with {@code sgt-}, so no valid login here can ever be the admin.
 */
public final class StreamingTokenJwtCallbackHandler implements AuthenticateCallbackHandler {
  private static final Logger log = LoggerFactory.getLogger(StreamingTokenJwtCallbackHandler.class);
  static final Pattern subjectShape = Pattern.compile("sgt-[A-Za-z0-9_-]{1,128}");

  private final OAuthBearerValidatorCallbackHandler kafka = new OAuthBearerValidatorCallbackHandler();

  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    kafka.configure(configs, saslMechanism, jaasConfigEntries);
  }

  @Override
  public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
    kafka.handle(callbacks);
    for (Callback callback : callbacks) {
      if (!(callback instanceof OAuthBearerValidatorCallback)) continue;
      OAuthBearerValidatorCallback validation = (OAuthBearerValidatorCallback) callback;
      OAuthBearerToken token = validation.token();
      if (token != null && !subjectShape.matcher(token.principalName()).matches()) {
        // error() also drops the token: the SASL server then answers invalid_token.
        validation.error("invalid_token", null, null);
        log.warn("OAUTHBEARER login refused: the JWT's subject is not a streaming token's principal");
      }
    }
  }

  @Override
  public void close() {
    kafka.close();
  }
}
