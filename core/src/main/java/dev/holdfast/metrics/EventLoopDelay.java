package dev.holdfast.metrics;

import dev.holdfast.vertx.VertxInternals;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * How late each event loop runs a task it was asked to run at a given time: a periodic probe per
 * loop (every {@link #PERIOD_NANOS}), scheduled on the loop itself, records how long after its due
 * time it ran into {@code holdfast_event_loop_delay_seconds} (a histogram over all of the
 * process's loops). A loop busy with handshakes, a long task or a GC pause shows here before it
 * shows as latency. The cost is one scheduled task per loop per period, nothing per connection.
 */
public final class EventLoopDelay implements Runnable {

  /** 100 ms: ten samples a second per loop, fine enough to see a stall of one scrape interval. */
  static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final EventLoop loop;
  private final LatencyBuckets delays = new LatencyBuckets();
  private long dueNanos;

  private EventLoopDelay(EventLoop loop) {
    this.loop = loop;
  }

  /**
   * Starts a probe on each of {@code vertx}'s event loops and registers their histogram. The probes
   * end by themselves when Vert.x closes its loops.
   */
  public static void watch(Vertx vertx, PrometheusMeterRegistry registry) {
    List<LatencyBuckets> all = new ArrayList<>();
    for (EventLoop loop : VertxInternals.eventLoops(vertx)) {
      EventLoopDelay probe = new EventLoopDelay(loop);
      all.add(probe.delays);
      loop.execute(probe::schedule);
    }
    List<LatencyBuckets> fixed = List.copyOf(all);
    LatencyHistogramCollector.register(registry, "holdfast_event_loop_delay_seconds",
        "How long after its due time an event loop ran a periodic probe task (every 100 ms per loop)",
        () -> fixed);
  }

  private void schedule() {
    dueNanos = System.nanoTime() + PERIOD_NANOS;
    try {
      loop.schedule(this, PERIOD_NANOS, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // the loop is shutting down: the probe ends with it
    }
  }

  @Override
  public void run() {
    delays.record(System.nanoTime() - dueNanos);
    if (!loop.isShuttingDown()) {
      schedule();
    }
  }
}
