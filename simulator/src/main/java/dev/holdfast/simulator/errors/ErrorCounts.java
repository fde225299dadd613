package dev.holdfast.simulator.errors;

/**
 * The space of error counters: each {@link ErrorClass}, each handshake status of interest, and
 * each close code received from a server, numbered 0..{@link #SIZE}-1 so that a verticle counts
 * them in a plain array. Values not listed fall into an "other" counter of their kind, which keeps
 * metric labels few.
 */
public final class ErrorCounts {

  /** Handshake statuses counted on their own. */
  static final int[] STATUSES = {301, 302, 400, 401, 403, 404, 426, 429, 500, 502, 503, 504};
  /** Close codes counted on their own when a server closes a connection. */
  static final int[] CLOSE_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 1012, 1013};

  private static final int CLASSES = ErrorClass.values().length;
  private static final int STATUS_BASE = CLASSES;
  private static final int CLOSE_BASE = STATUS_BASE + STATUSES.length + 1;

  /** Number of counters. */
  public static final int SIZE = CLOSE_BASE + CLOSE_CODES.length + 1;

  private ErrorCounts() {
  }

  /** The counter of an error class. */
  public static int of(ErrorClass c) {
    return c.ordinal();
  }

  /** The counter of a handshake answered with {@code status} instead of 101. */
  public static int handshakeStatus(int status) {
    return STATUS_BASE + indexOf(STATUSES, status);
  }

  /** The counter of a close frame with {@code code} sent by a server on its own initiative. */
  public static int closeCode(int code) {
    return CLOSE_BASE + indexOf(CLOSE_CODES, code);
  }

  private static int indexOf(int[] values, int v) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == v) {
        return i;
      }
    }
    return values.length;
  }

  /** The report's name of counter {@code i}: {@code connectRefused}, {@code handshakeStatus503}, {@code closeCode1001}. */
  public static String key(int i) {
    if (i < CLASSES) {
      return ErrorClass.values()[i].key();
    }
    if (i < CLOSE_BASE) {
      int s = i - STATUS_BASE;
      return "handshakeStatus" + (s < STATUSES.length ? Integer.toString(STATUSES[s]) : "Other");
    }
    int c = i - CLOSE_BASE;
    return "closeCode" + (c < CLOSE_CODES.length ? Integer.toString(CLOSE_CODES[c]) : "Other");
  }

  /** The metric label of counter {@code i}: {@code connect_refused}, {@code handshake_status_503}, {@code close_code_1001}. */
  public static String label(int i) {
    String key = key(i);
    StringBuilder b = new StringBuilder(key.length() + 4);
    for (int k = 0; k < key.length(); k++) {
      char ch = key.charAt(k);
      boolean boundary = k > 0 && (Character.isUpperCase(ch) || Character.isDigit(ch) && !Character.isDigit(key.charAt(k - 1)));
      if (boundary) {
        b.append('_');
      }
      b.append(Character.toLowerCase(ch));
    }
    return b.toString();
  }
}
