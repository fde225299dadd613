package dev.holdfast.simulator;

import dev.holdfast.metrics.LatencyHistogramCollector;
import dev.holdfast.simulator.connection.CloseCause;
import dev.holdfast.simulator.connection.ConnectionState;
import dev.holdfast.simulator.connection.SimulatorLedger.Count;
import dev.holdfast.simulator.connection.SimulatorLedger;
import dev.holdfast.simulator.errors.ErrorCounts;
import dev.holdfast.simulator.report.LatencySummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The simulator's {@code holdfast_sim_*} meters. Each reads the verticles' ledgers when Prometheus
 * scrapes, so the connection path never touches a meter. Labels are few and fixed: {@code state},
 * {@code cause}, {@code kind}, {@code class}, {@code quantile}. The echo and handshake latency
 * histograms sum the verticles' single-writer {@code LatencyBuckets} at scrape time; the
 * {@code holdfast_sim_latency_seconds{quantile}} gauges are one process's last interval, kept for
 * the progress line's readers, and never to be averaged across a fleet.
 */
final class SimulatorMetrics {

  private SimulatorMetrics() {
  }

  static void register(PrometheusMeterRegistry registry, SimulatorNode node) {
    // Histograms, so a fleet's percentiles are computed by Prometheus (histogram_quantile over the
    // buckets' summed rates); bucket bounds: LatencyBuckets.BOUNDS_SECONDS
    LatencyHistogramCollector.register(registry, "holdfast_sim_echo_latency_seconds",
        "Echo latency from the intended send time (no coordinated omission), first echo of each message",
        () -> node.ledgers().stream().map(SimulatorLedger::echoLatency).toList());
    LatencyHistogramCollector.register(registry, "holdfast_sim_handshake_latency_seconds",
        "From the start of the TCP connect to the server's 101 Switching Protocols",
        () -> node.ledgers().stream().map(SimulatorLedger::handshakeLatency).toList());
    Gauge.builder("holdfast.sim.held", node, n -> n.totals().held())
        .description("Connections held open by this simulator node, by its own count")
        .register(registry);
    Gauge.builder("holdfast.sim.target", node, SimulatorNode::share)
        .description("This simulator node's share of the population")
        .register(registry);
    for (ConnectionState s : ConnectionState.values()) {
      Gauge.builder("holdfast.sim.connections", node, n -> n.totals().inState(s))
          .description("Simulated connections by state")
          .tag("state", s.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    Gauge.builder("holdfast.sim.os.established.connections", node, SimulatorNode::osEstablished)
        .description("Established TCP sockets to the target ports, as the kernel counts them (/proc/net/tcp*); -1 unknown")
        .register(registry);
    Gauge.builder("holdfast.sim.cluster.held", node, SimulatorNode::clusterHeld)
        .description("Connections the target servers say they hold; -1 unknown")
        .register(registry);
    counter(registry, node, "holdfast.sim.handshakes", "Handshakes started", n -> n.totals().get(Count.HANDSHAKES));
    counter(registry, node, "holdfast.sim.opened", "Connections upgraded", n -> n.totals().get(Count.OPENED));
    for (CloseCause c : CloseCause.values()) {
      FunctionCounter.builder("holdfast.sim.closed", node, n -> n.totals().closedBy(c))
          .description("Open connections that ended, by cause")
          .tag("cause", c.key())
          .register(registry);
    }
    counter(registry, node, "holdfast.sim.messages.sent", "Messages sent", n -> n.totals().get(Count.SENT));
    counter(registry, node, "holdfast.sim.echoes", "Echoes received intact", n -> n.totals().get(Count.ECHOED));
    Count[] kinds = {Count.LOST, Count.DUPLICATED, Count.REORDERED, Count.MISMATCHED, Count.LATE, Count.ABANDONED};
    for (Count k : kinds) {
      FunctionCounter.builder("holdfast.sim.echo.errors", node, n -> n.totals().get(k))
          .description("Echo check failures by kind (late and abandoned are observations, not errors)")
          .tag("kind", k.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    for (int i = 0; i < ErrorCounts.SIZE; i++) {
      int index = i;
      FunctionCounter.builder("holdfast.sim.errors", node, n -> n.totals().errors(index))
          .description("Connection errors by class: connect, handshake status, close code received")
          .tag("class", ErrorCounts.label(i))
          .register(registry);
    }
    latency(registry, node, "0.5", LatencySummary::p50);
    latency(registry, node, "0.99", LatencySummary::p99);
    latency(registry, node, "0.999", LatencySummary::p999);
    latency(registry, node, "1.0", LatencySummary::max);
    Gauge.builder("holdfast.sim.churn.achieved", node, n -> {
      double v = n.achievedFraction();
      return Double.isNaN(v) ? 0 : v;
    }).description("Churn achieved since the ramp, as a fraction of the population per churn period")
        .register(registry);
    Gauge.builder("holdfast.sim.churn.configured", node, n -> n.config().churn().fraction())
        .description("Churn configured, as a fraction of the population per churn period")
        .register(registry);
    Gauge.builder("holdfast.sim.scheduler.lag.max", node, n -> n.totals().lagMaxNanos() / 1e9)
        .baseUnit("seconds")
        .description("Longest a simulator verticle's schedule ran behind its clock")
        .register(registry);
  }

  private static void counter(MeterRegistry registry, SimulatorNode node, String name, String description,
      ToDoubleFunction<SimulatorNode> f) {
    FunctionCounter.builder(name, node, f).description(description).register(registry);
  }

  private static void latency(MeterRegistry registry, SimulatorNode node, String quantile,
      ToDoubleFunction<LatencySummary> ms) {
    Gauge.builder("holdfast.sim.latency", node, n -> ms.applyAsDouble(n.lastLatency()) / 1000.0)
        .baseUnit("seconds")
        .description("Echo latency from the intended send time, over the last progress interval")
        .tag("quantile", quantile)
        .register(registry);
  }
}
