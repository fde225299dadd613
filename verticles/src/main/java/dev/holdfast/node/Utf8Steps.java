package dev.holdfast.node;

/**
 * An incremental UTF-8 validator as a pure function over one int of state, so a text message's
 * validation can stop at the first impossible byte and carry on across reads and fragments
 * without a buffer. The state packs the continuation bytes still expected and the range the next
 * byte must fall in (which rules out overlong forms, surrogates and code points past U+10FFFF).
 */
final class Utf8Steps {

  /** The state at the start of a message, and again after every complete character. */
  static final int START = 0;
  /** Returned by {@link #step} for a byte that no valid UTF-8 can contain here. */
  static final int INVALID = -1;

  private Utf8Steps() {
  }

  /** The state after byte {@code b} (0-255) in state {@code state}, or {@link #INVALID}. */
  static int step(int state, int b) {
    int remaining = state & 0xFF;
    if (remaining == 0) {
      if (b < 0x80) {
        return START;
      }
      if (b >= 0xC2 && b <= 0xDF) {
        return expect(1, 0x80, 0xBF);
      }
      if (b == 0xE0) {
        return expect(2, 0xA0, 0xBF); // no overlong three-byte forms
      }
      if (b == 0xED) {
        return expect(2, 0x80, 0x9F); // no UTF-16 surrogates
      }
      if (b >= 0xE1 && b <= 0xEF) {
        return expect(2, 0x80, 0xBF);
      }
      if (b == 0xF0) {
        return expect(3, 0x90, 0xBF); // no overlong four-byte forms
      }
      if (b >= 0xF1 && b <= 0xF3) {
        return expect(3, 0x80, 0xBF);
      }
      if (b == 0xF4) {
        return expect(3, 0x80, 0x8F); // nothing past U+10FFFF
      }
      return INVALID;
    }
    int lo = (state >>> 8) & 0xFF;
    int hi = (state >>> 16) & 0xFF;
    if (b < lo || b > hi) {
      return INVALID;
    }
    return remaining == 1 ? START : expect(remaining - 1, 0x80, 0xBF);
  }

  /** Whether a message may end in this state: not in the middle of a character. */
  static boolean complete(int state) {
    return state == START;
  }

  private static int expect(int remaining, int lo, int hi) {
    return remaining | lo << 8 | hi << 16;
  }
}
