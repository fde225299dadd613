package dev.holdfast.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import dev.holdfast.node.ConnectionLedger.Rejection;

/**
 * The node's {@code holdfast_*} meters. Each reads the ledgers' sums when Prometheus scrapes, so
 * the connection path never touches a meter.
 */
final class NodeMetrics {

  private NodeMetrics() {
  }

  static void register(MeterRegistry registry, EchoNode node) {
    Gauge.builder("holdfast.connections.held", node, EchoNode::held)
        .description("WebSocket connections this node holds, by its own count")
        .register(registry);
    Gauge.builder("holdfast.os.established.connections", node, EchoNode::osEstablished)
        .description("Established TCP sockets on the WebSocket port, as the kernel counts them (/proc/net/tcp*)")
        .register(registry);
    Gauge.builder("holdfast.connections.drift", node, n -> n.osEstablished() < 0 ? 0 : n.held() - n.osEstablished())
        .description("Held by the node's count minus established by the kernel's; non-zero beyond churn means a count is wrong")
        .register(registry);
    Gauge.builder("holdfast.connections.max", node, EchoNode::maxConnections)
        .description("The admission cap: handshakes beyond it get 503")
        .register(registry);
    Gauge.builder("holdfast.open.files.max", node, EchoNode::openFiles)
        .description("The process's open-file limit")
        .register(registry);
    FunctionCounter.builder("holdfast.connections.opened", node, EchoNode::opened)
        .description("WebSocket connections upgraded and held")
        .register(registry);
    for (int i = 0; i <= ConnectionLedger.CLOSE_CODES.length; i++) {
      int index = i;
      FunctionCounter.builder("holdfast.connections.closed", node, n -> n.closedByIndex(index))
          .description("Held connections that ended, by close code (1006: ended without a close frame)")
          .tag("code", EchoNode.closeCodeLabel(i))
          .register(registry);
    }
    for (Rejection r : Rejection.values()) {
      FunctionCounter.builder("holdfast.connections.rejected", node, n -> n.rejected(r))
          .description("Handshakes refused, by reason")
          .tag("reason", r.label())
          .register(registry);
    }
    FunctionCounter.builder("holdfast.messages.echoed", node, EchoNode::messages)
        .description("WebSocket messages echoed")
        .register(registry);
    FunctionCounter.builder("holdfast.echoed", node, EchoNode::bytes)
        .baseUnit("bytes")
        .description("Payload bytes echoed")
        .register(registry);
  }
}
