package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The slow-reader bound, measured: clients that flood the node and never read their echoes grow
 * the node's direct memory (its channels' allocator, Netty's default) by at most about
 * {@code maxOutboundBytes} each before they are closed with 1008, each trying to send 60 times that.
 */
class SlowReaderBoundTest {

  private static final int CLIENTS = 4;
  private static final int MAX_OUTBOUND = 1 << 20;
  private static final int FRAME = 60_000;
  /** What each client tries to send: 60 times the bound. */
  private static final int FRAMES = 60 * MAX_OUTBOUND / FRAME;
  /**
   * The allocator's granularity: it takes memory from the OS in chunks (of up to a few MiB per
   * event loop) and keeps them, so growth is measured to within this much in total.
   */
  private static final long CHUNK_SLACK = 8L << 20;

  @Test
  void clientsThatNeverReadGrowDirectMemoryByAtMostTheirBoundBeforeTheir1008() throws Exception {
    NodeConfig config = new NodeConfig().writeBufferHighBytes(16_384).maxOutboundBytes(MAX_OUTBOUND)
        .outboundStallTimeout(Duration.ofSeconds(1));
    ByteBufAllocatorMetricProvider allocator = (ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT;
    try (NodeUnderTest node = NodeUnderTest.start(config)) {
      long baseline = allocator.metric().usedDirectMemory();
      AtomicLong peak = new AtomicLong(baseline);
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler = new Thread(() -> {
        while (sampling.get()) {
          peak.accumulateAndGet(allocator.metric().usedDirectMemory(), Math::max);
          try {
            Thread.sleep(2); // queued echoes stay until their connection closes: a 2 ms sample sees them
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "direct-memory-sampler");
      sampler.setDaemon(true);
      sampler.start();
      List<RawWebSocket> slow = new ArrayList<>();
      List<Thread> writers = new ArrayList<>();
      AtomicLong offered = new AtomicLong();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          RawWebSocket ws = new RawWebSocket(node.port(), "/ws");
          slow.add(ws);
          Thread w = new Thread(() -> {
            byte[] frame = new byte[FRAME];
            try {
              for (int f = 0; f < FRAMES; f++) {
                ws.send(RawWebSocket.BINARY, true, frame);
                offered.addAndGet(FRAME);
              }
            } catch (Exception e) {
              // the node closed the connection: what the test waits for
            }
          }, "slow-reader-" + i);
          w.setDaemon(true);
          w.start();
          writers.add(w);
        }
        JsonObject c = node.connectionsWhen(s -> node.closedWith(s, "1008") == CLIENTS);
        assertThat(node.closedWith(c, "1008")).isEqualTo(CLIENTS);
      } finally {
        sampling.set(false);
        sampler.join(5_000);
        for (RawWebSocket ws : slow) {
          ws.close();
        }
        for (Thread w : writers) {
          w.join(5_000);
        }
      }
      long growth = peak.get() - baseline;
      System.out.printf("slow readers: %d clients, maxOutboundBytes %,d, offered %,d bytes in all;"
          + " direct memory %,d before, peak growth %,d bytes (%.2f x maxOutboundBytes per client)%n",
          CLIENTS, MAX_OUTBOUND, offered.get(), baseline, growth, (double) growth / CLIENTS / MAX_OUTBOUND);
      assertThat(growth).as("peak direct memory growth").isLessThanOrEqualTo((long) CLIENTS * MAX_OUTBOUND + CHUNK_SLACK);
    }
  }
}
