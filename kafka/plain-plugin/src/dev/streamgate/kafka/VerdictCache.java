package dev.streamgate.kafka;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The portal's recent answers, so that a client opening several connections (librdkafka opens
 * one per broker role) or reconnecting costs one portal request per few seconds. Keyed by the
 * username and the SHA-256 of the password: the password itself is never kept.
 */
final class VerdictCache {
  private static final int maxEntries = 10_000;

  private record Verdict(boolean accepted, long expiresAtNanos) {}

  private final long ttlNanos;
  private final ConcurrentHashMap<String, Verdict> verdicts = new ConcurrentHashMap<>();

  VerdictCache(long ttlMs) {
    this.ttlNanos = ttlMs * 1_000_000L;
  }

  static String key(String username, char[] password) {
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(bytes);
      return username + "\n" + HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    } finally {
      if (bytes.hasArray()) Arrays.fill(bytes.array(), (byte) 0);
    }
  }

  Boolean get(String key) {
    if (ttlNanos == 0) return null;
    Verdict verdict = verdicts.get(key);
    if (verdict == null) return null;
    if (System.nanoTime() - verdict.expiresAtNanos >= 0) {
      verdicts.remove(key, verdict);
      return null;
    }
    return verdict.accepted;
  }

  void put(String key, boolean accepted) {
    if (ttlNanos == 0) return;
    if (verdicts.size() >= maxEntries) {
      long now = System.nanoTime();
      verdicts.values().removeIf(v -> now - v.expiresAtNanos >= 0);
      // Still full: many distinct logins within one TTL. Forgetting costs only portal requests.
      if (verdicts.size() >= maxEntries) verdicts.clear();
    }
    verdicts.put(key, new Verdict(accepted, System.nanoTime() + ttlNanos));
  }
}
