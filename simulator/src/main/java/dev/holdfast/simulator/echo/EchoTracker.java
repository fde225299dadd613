package dev.holdfast.simulator.echo;

/**
 * One connection's record of which of its messages have come back, to tell loss, duplication and
 * reordering apart with 24 bytes of state.
 *
 * <p>Messages carry sequence numbers 0, 1, 2, ... {@code base} is the lowest not yet echoed;
 * {@code window} has bit i set when {@code base + i} has been echoed (bit 0 is always clear).
 * An echo is:
 * <ul>
 *   <li><b>unknown</b> when its number was never sent (a corrupt or foreign echo);</li>
 *   <li><b>duplicate</b> when it is below {@code base} or its bit is already set;</li>
 *   <li><b>reordered</b> when a higher number came back before it;</li>
 *   <li>otherwise <b>in order</b>.</li>
 * </ul>
 * A message is <b>lost</b> only when it can no longer come back: when the connection closes after
 * the server's answer to our close frame (the server echoes in order and answers our close frame
 * after every earlier echo), when it was already overdue as the connection ended, or when it falls
 * 64 messages behind the newest. Other messages outstanding when a connection ends (the server
 * closed it, or it dropped without a close frame) are <b>abandoned</b>, not lost: the server may
 * well have stopped echoing by protocol, or echoed them into a dead socket.
 */
public final class EchoTracker {

  /** How far behind the newest message an unanswered one may fall before it is written off as lost. */
  public static final int WINDOW = 64;

  /** What an echo was. */
  public enum Verdict {
    IN_ORDER, REORDERED, DUPLICATE, UNKNOWN
  }

  private int sent;
  private int base;
  private int highest = -1;
  private long window;
  private int writtenOff;

  /** Starts over for a new connection. */
  public void reset() {
    sent = 0;
    base = 0;
    highest = -1;
    window = 0;
  }

  /** Messages sent so far (the next sequence number). */
  public int sent() {
    return sent;
  }

  /** The lowest sequence number not yet echoed (nor written off). */
  public int oldestOutstanding() {
    return base;
  }

  /** Messages sent and not yet echoed or written off. */
  public int outstanding() {
    return sent - base - Long.bitCount(window);
  }

  /**
   * Takes the next sequence number for a message about to be sent. Returns it; if that pushes the
   * oldest unanswered message out of the window, it is written off: see {@link #takeWrittenOff()}.
   */
  public int nextSeq() {
    int seq = sent++;
    while (seq - base >= WINDOW) {
      writtenOff++;
      advanceBase();
    }
    return seq;
  }

  /** Messages written off as lost since the last call (by {@link #nextSeq()}). */
  public int takeWrittenOff() {
    int n = writtenOff;
    writtenOff = 0;
    return n;
  }

  /** Records the echo of {@code seq} and says what it was. */
  public Verdict onEcho(int seq) {
    if (seq < 0 || seq >= sent) {
      return Verdict.UNKNOWN;
    }
    if (seq < base) {
      return Verdict.DUPLICATE;
    }
    int offset = seq - base;
    if (offset > 0 && (window & (1L << offset)) != 0) {
      return Verdict.DUPLICATE;
    }
    boolean reordered = seq < highest;
    if (seq > highest) {
      highest = seq;
    }
    if (offset == 0) {
      advanceBase();
    } else {
      window |= 1L << offset;
    }
    return reordered ? Verdict.REORDERED : Verdict.IN_ORDER;
  }

  // base has been answered or written off: move past it and every answered number after it
  private void advanceBase() {
    do {
      base++;
      window >>>= 1;
    } while ((window & 1L) != 0);
  }

  /** How many messages with a number below {@code seq} are still unanswered. */
  public int outstandingBelow(int seq) {
    int end = Math.min(seq, sent);
    int n = 0;
    for (int s = base; s < end; s++) {
      if (s == base || (window & (1L << (s - base))) == 0) {
        n++;
      }
    }
    return n;
  }

  /** The connection ended: returns how many messages are still unanswered, and forgets them. */
  public int closeOutstanding() {
    int n = outstanding();
    base = sent;
    window = 0;
    return n;
  }
}
