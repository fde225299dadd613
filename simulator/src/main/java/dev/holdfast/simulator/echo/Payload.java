package dev.holdfast.simulator.echo;

import io.netty.buffer.ByteBuf;

/**
 * The bytes of one simulated message, and the check of its echo.
 *
 * <p>Layout (big-endian): connection id (8 bytes), sequence number (4), intended send time (8, in
 * nanoseconds on the simulator's clock), then padding up to the configured size. The padding is a
 * pure function of id, sequence number and position, so a corrupted, truncated, or swapped echo
 * is caught without keeping a copy of what was sent.
 */
public final class Payload {

  /** Bytes before the padding. */
  public static final int HEADER_BYTES = 20;

  /** What an echo's bytes say, read by {@link #read}. */
  public enum Check {
    /** Well formed: the header is readable and the padding is what the header implies. */
    INTACT,
    /** Wrong length or padding: the echo is not what was sent. */
    CORRUPT
  }

  private Payload() {
  }

  /** Writes a message of {@code size} bytes into {@code out}. */
  public static void write(ByteBuf out, long connectionId, int seq, long intendedNanos, int size) {
    out.writeLong(connectionId);
    out.writeInt(seq);
    out.writeLong(intendedNanos);
    long state = seed(connectionId, seq, intendedNanos);
    int i = HEADER_BYTES;
    for (; i + 8 <= size; i += 8) {
      state = next(state);
      out.writeLong(state);
    }
    if (i < size) {
      state = next(state);
      for (int shift = 56; i < size; i++, shift -= 8) {
        out.writeByte((int) (state >>> shift));
      }
    }
  }

  /** The connection id in an echo (call only after {@link #check} said INTACT, or to report what arrived). */
  public static long connectionId(ByteBuf in) {
    return in.getLong(in.readerIndex());
  }

  /** The sequence number in an echo. */
  public static int seq(ByteBuf in) {
    return in.getInt(in.readerIndex() + 8);
  }

  /** The intended send time in an echo. */
  public static long intendedNanos(ByteBuf in) {
    return in.getLong(in.readerIndex() + 12);
  }

  /** Checks an echo's length and padding against its own header; reads without consuming. */
  public static Check check(ByteBuf in, int size) {
    if (in.readableBytes() != size) {
      return Check.CORRUPT;
    }
    int base = in.readerIndex();
    long state = seed(in.getLong(base), in.getInt(base + 8), in.getLong(base + 12));
    int i = HEADER_BYTES;
    for (; i + 8 <= size; i += 8) {
      state = next(state);
      if (in.getLong(base + i) != state) {
        return Check.CORRUPT;
      }
    }
    if (i < size) {
      state = next(state);
      for (int shift = 56; i < size; i++, shift -= 8) {
        if (in.getByte(base + i) != (byte) (state >>> shift)) {
          return Check.CORRUPT;
        }
      }
    }
    return Check.INTACT;
  }

  private static long seed(long connectionId, int seq, long intendedNanos) {
    return connectionId * 0x9E3779B97F4A7C15L ^ (seq + 0x632BE59BD9B4E019L) ^ Long.rotateLeft(intendedNanos, 29);
  }

  // SplitMix64's step: fast, and every byte depends on id and sequence number
  private static long next(long state) {
    long z = state + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
