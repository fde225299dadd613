package dev.holdfast.bench;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the load driver counts across all its connections and event loops: open connections,
 * echoes sent and received, latencies, and errors by kind. Every member is safe to update from
 * any event loop.
 */
final class DriverStats {

  /** Highest latency the histograms track, in microseconds (a minute: anything longer is a failure anyway). */
  private static final long MAX_MICROS = 60_000_000L;

  /** Echo latency from the message's intended send time (so a late send is not forgiven), in µs. */
  final Recorder echoMicros = new Recorder(MAX_MICROS, 3);
  /** From connect() to the 101 response being processed, in µs. */
  final Recorder handshakeMicros = new Recorder(MAX_MICROS, 3);
  final AtomicInteger open = new AtomicInteger();
  final LongAdder opened = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder sent = new LongAdder();
  final LongAdder received = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  /** Latency is recorded only inside the hold window; warm-up echoes are not. */
  volatile boolean recording;
  /** Set when the churn phase ends: connections send no more messages (a plain hold ends by its schedule). */
  volatile boolean sendingEnded;

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  JsonObject errorsJson() {
    Map<String, Long> sorted = new TreeMap<>();
    errors.forEach((k, v) -> sorted.put(k, v.sum()));
    JsonObject o = new JsonObject();
    sorted.forEach(o::put);
    return o;
  }

  static JsonObject percentiles(Histogram h) {
    return new JsonObject()
        .put("count", h.getTotalCount())
        .put("p50Micros", h.getValueAtPercentile(50))
        .put("p90Micros", h.getValueAtPercentile(90))
        .put("p99Micros", h.getValueAtPercentile(99))
        .put("p999Micros", h.getValueAtPercentile(99.9))
        .put("maxMicros", h.getMaxValue());
  }

  /** Names a failed connect or a broken connection by what the operator would fix. */
  static String classify(Throwable t) {
    String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    if (t instanceof ConnectTimeoutException || m.contains("timed out")) {
      return "connect timeout";
    }
    if (m.contains("refused")) {
      return "connect refused";
    }
    if (t instanceof BindException || m.contains("cannot assign requested address")
        || m.contains("address already in use")) {
      return "address not available";
    }
    if (m.contains("too many open files")) {
      return "too many open files";
    }
    if (m.contains("reset")) {
      return "connection reset";
    }
    return "other: " + t.getClass().getSimpleName();
  }
}
