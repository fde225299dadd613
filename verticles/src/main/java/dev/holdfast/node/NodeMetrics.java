package dev.holdfast.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import dev.holdfast.node.ConnectionLedger.Rejection;
import dev.holdfast.os.NetlinkSockDiag;
import dev.holdfast.os.ProcNetTcp;
import dev.holdfast.os.SocketDescriptors;

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
        .description("This node's established TCP sockets on the WebSocket port, as the kernel counts them; -1 missing")
        .register(registry);
    Gauge.builder("holdfast.os.count.age", node, EchoNode::osCountAgeSeconds)
        .baseUnit("seconds")
        .description("How old the kernel count shown is (counted every osCountInterval, or on /status?fresh=true); -1 none yet")
        .register(registry);
    for (String method : new String[] {SocketDescriptors.METHOD, NetlinkSockDiag.METHOD, ProcNetTcp.METHOD}) {
      Gauge.builder("holdfast.os.count.method", node, n -> method.equals(n.osCounter().method()) ? 1 : 0)
          .description("1 for the way the kernel's count is read now, 0 for the others (socket-fds: the "
              + "node's descriptors and their TCP state; netlink sock_diag; /proc/net/tcp* where neither works)")
          .tag("method", method)
          .register(registry);
    }
    FunctionCounter.builder("holdfast.os.count.duration", node, n -> n.osCounter().seconds())
        .baseUnit("seconds")
        .description("Wall time spent reading the kernel's count (on a busy machine mostly waiting for a core)")
        .register(registry);
    FunctionCounter.builder("holdfast.os.count.cpu", node, n -> n.osCounter().cpuSeconds())
        .baseUnit("seconds")
        .description("CPU time (user + system) the kernel counts cost")
        .register(registry);
    FunctionCounter.builder("holdfast.os.counts", node, n -> n.osCounter().counts())
        .description("Kernel counts read")
        .register(registry);
    FunctionCounter.builder("holdfast.os.counts.missed", node, n -> n.osCounter().missed())
        .description("Kernel counts that missed their deadline or failed (reported as -1)")
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
