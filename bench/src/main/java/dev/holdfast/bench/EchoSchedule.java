package dev.holdfast.bench;

/**
 * When each connection sends: connection {@code i} of {@code n} sends its message {@code k} at
 * {@code start + interval * i / n + k * interval}, for as long as that is before {@code end}. The
 * phases are spread evenly over one interval, so the load is steady rather than in waves, and each
 * message's intended time is known without storing it (latency is measured from it).
 */
record EchoSchedule(long startNanos, long intervalNanos, long endNanos, int connections) {

  long due(int index, long seq) {
    return startNanos + intervalNanos * index / connections + seq * intervalNanos;
  }

  /** The first message of connection {@code index} due at or after {@code nowNanos} (a reopened one joins its phase). */
  long firstSeqFrom(int index, long nowNanos) {
    long late = nowNanos - due(index, 0);
    return late <= 0 ? 0 : (late + intervalNanos - 1) / intervalNanos;
  }
}
