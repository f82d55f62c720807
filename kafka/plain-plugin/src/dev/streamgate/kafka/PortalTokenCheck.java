package dev.streamgate.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Asks the portal's token endpoint (the OAuth client-credentials grant that OAUTHBEARER clients
 * use) whether a streaming token is active and is the given principal: client id = the
 * principal {@code sgt-<tokenId>}, client secret = the token. A JWT back means yes, but only if
 * its {@code sub} is that principal; a 400 or 401 means no; anything else is an error.
 */
final class PortalTokenCheck {
  private static final Pattern principalShape = Pattern.compile("sgt-[A-Za-z0-9_-]{1,128}");
  private static final int maxPasswordChars = 256;
  private static final ObjectMapper json = new ObjectMapper();

  private final URI tokenEndpoint;
  private final Duration timeout;
  private final HttpClient http;

  PortalTokenCheck(String tokenEndpointUrl, long timeoutMs) {
    this.tokenEndpoint = URI.create(tokenEndpointUrl);
    this.timeout = Duration.ofMillis(timeoutMs);
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Shapes that can never be a streaming token's login are refused without asking the portal. */
  static boolean plausible(String username, char[] password) {
    return principalShape.matcher(username).matches()
        && password.length > 0
        && password.length <= maxPasswordChars;
  }

  boolean isActiveTokenOf(String principal, char[] token) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(tokenEndpoint)
            .timeout(timeout)
            .header("Authorization", "Basic " + basic(principal, token))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .header("User-Agent", "streamgate-kafka-plain/1 (Kafka broker PLAIN login)")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while asking the Streamgate portal", e);
    }
    int status = response.statusCode();
    if (status == 400 || status == 401) return false;
    if (status != 200) {
      throw new IOException(
          "The Streamgate portal answered " + status + " at " + tokenEndpoint + " (token not checked)");
    }
    return principal.equals(subjectOf(response.body()));
  }

  /** HTTP Basic of principal:token, built without leaving the token in a String. */
  private static String basic(String principal, char[] token) {
    CharBuffer chars = CharBuffer.allocate(principal.length() + 1 + token.length);
    chars.put(principal).put(':').put(token).flip();
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(chars);
    byte[] raw = new byte[bytes.remaining()];
    bytes.get(raw);
    try {
      return Base64.getEncoder().encodeToString(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
      Arrays.fill(chars.array(), '\0');
      if (bytes.hasArray()) Arrays.fill(bytes.array(), (byte) 0);
    }
  }

  /** The JWT's sub. Its signature is not checked: it came straight from the portal over this request. */
  private static String subjectOf(String body) throws IOException {
    JsonNode accessToken = json.readTree(body).path("access_token");
    String[] parts = accessToken.asText("").split("\\.");
    if (parts.length != 3) throw new IOException("The Streamgate portal answered without a JWT");
    byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
    return json.readTree(payload).path("sub").asText(null);
  }
}
