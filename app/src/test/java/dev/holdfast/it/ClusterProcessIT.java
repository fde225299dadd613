package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.Eventually;
import dev.holdfast.testing.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node processes of the fat jar in one Hazelcast cluster on loopback: every node sees
 * the cluster total, a killed node leaves it within the time-to-live, a stopped node at once, and
 * connection churn causes no cluster writes beyond one per node per interval.
 */
class ClusterProcessIT {

  private static final Duration INTERVAL = Duration.ofMillis(500);
  private static final int TTL_INTERVALS = 3;
  /** Slack for HTTP polling and a loaded machine on top of each bound under test. */
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final int PER_NODE = 300;

  private final List<HoldfastProcess> processes = new ArrayList<>();
  private Vertx vertx;
  private WebSocketClient client;
  private Path config;

  @BeforeEach
  void setUp(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
    config = dir.resolve("node.json");
    // a cluster name of its own, so no other run on this machine can join it
    Files.writeString(config, new JsonObject().put("instances", 2).put("osCountInterval", "250ms").put("cluster", new JsonObject()
        .put("name", "it-" + UUID.randomUUID()).put("publishInterval", INTERVAL.toMillis() + "ms")
        .put("ttlIntervals", TTL_INTERVALS)).encode());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (HoldfastProcess p : processes) {
      p.close();
    }
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  private Node startNode() throws Exception {
    HoldfastProcess p = HoldfastProcess.start("node", "--config", config.toString(),
        "--port", Integer.toString(FreePorts.belowEphemeralRange()), "--admin-port", "0");
    processes.add(p);
    return new Node(p, p.wsPort(), p.adminPort());
  }

  private record Node(HoldfastProcess process, int wsPort, int adminPort) {
    JsonObject cluster() {
      try {
        return new JsonObject(NodeProcessIT.get(adminPort, "/cluster"));
      } catch (Exception e) {
        return new JsonObject().put("error", e.toString());
      }
    }

    JsonObject status() {
      try {
        return new JsonObject(NodeProcessIT.get(adminPort, "/status"));
      } catch (Exception e) {
        return new JsonObject().put("error", e.toString());
      }
    }
  }

  private List<WebSocket> open(Node node, int n) throws Exception {
    List<Future<WebSocket>> opening = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      opening.add(client.connect(node.wsPort(), "127.0.0.1", "/ws"));
    }
    List<WebSocket> out = new ArrayList<>();
    for (Future<WebSocket> f : opening) {
      out.add(f.await(30, TimeUnit.SECONDS));
    }
    return out;
  }

  private static long totalHeld(JsonObject cluster) {
    return cluster.getJsonObject("totals", new JsonObject()).getLong("held", -1L);
  }

  private static int nodes(JsonObject cluster) {
    return cluster.getJsonObject("totals", new JsonObject()).getInteger("nodes", -1);
  }

  /** Waits until every node holds {@code n} by its own count: the start line for a timed bound. */
  private static void awaitHeld(Node node, long n) {
    JsonObject s = Eventually.poll(Duration.ofSeconds(30), node::status,
        st -> st.getJsonObject("connections", new JsonObject()).getLong("held", -1L) == n);
    assertThat(s.getJsonObject("connections").getLong("held")).isEqualTo(n);
  }

  @Test
  void everyNodeSeesTheClusterTotalAndDeadOrStoppedNodesLeaveIt() throws Exception {
    Node a = startNode(); // the first member, then the others join it
    Node b = startNode();
    Node c = startNode();
    for (Node n : List.of(a, b, c)) {
      open(n, PER_NODE);
    }
    for (Node n : List.of(a, b, c)) {
      awaitHeld(n, PER_NODE);
    }
    // a node's snapshot, then the summary that sums it, then a reader's tick: three intervals at most
    Duration threeIntervals = INTERVAL.multipliedBy(3).plus(GRACE);
    for (Node n : List.of(a, b, c)) {
      // the kernel's count in a snapshot is the node's last reading (every osCountInterval), so it may trail held
      JsonObject view = Eventually.poll(threeIntervals, n::cluster, v -> totalHeld(v) == 900 && nodes(v) == 3
          && v.getJsonObject("totals").getLong("osEstablished") == 900);
      assertThat(totalHeld(view)).as("total held seen by node %s", n.adminPort()).isEqualTo(900);
      assertThat(nodes(view)).isEqualTo(3);
      assertThat(view.getJsonObject("totals").getLong("osEstablished")).isEqualTo(900);
    }
    assertThat(a.status().getJsonObject("cluster").getInteger("members")).isEqualTo(3);

    // kill -9: the survivors drop the dead node within the time-to-live
    c.process().kill();
    Duration ttl = INTERVAL.multipliedBy(TTL_INTERVALS).plus(GRACE);
    for (Node n : List.of(a, b)) {
      JsonObject view = Eventually.poll(ttl, n::cluster, v -> totalHeld(v) == 600 && nodes(v) == 2);
      assertThat(totalHeld(view)).isEqualTo(600);
      assertThat(nodes(view)).isEqualTo(2);
    }

    // SIGTERM: the node takes itself out of the view before it drains
    b.process().terminate();
    JsonObject afterStop = Eventually.poll(INTERVAL.plus(GRACE), a::cluster, v -> nodes(v) == 1);
    assertThat(nodes(afterStop)).isEqualTo(1);
    assertThat(totalHeld(afterStop)).isEqualTo(300);
    b.process().waitFor(Duration.ofSeconds(30));

    // a node started again joins and is counted
    Node b2 = startNode();
    open(b2, PER_NODE);
    awaitHeld(b2, PER_NODE);
    for (Node n : List.of(a, b2)) {
      JsonObject view = Eventually.poll(threeIntervals, n::cluster, v -> totalHeld(v) == 600 && nodes(v) == 2);
      assertThat(totalHeld(view)).isEqualTo(600);
      assertThat(nodes(view)).isEqualTo(2);
    }
  }

  @Test
  void connectionChurnMakesNoClusterWritesBeyondOnePerNodePerInterval() throws Exception {
    Node a = startNode();
    Node b = startNode();
    Node c = startNode();
    List<Node> all = List.of(a, b, c);
    // one cluster of three, seen by every member: standalone nodes would write as many snapshots
    for (Node n : all) {
      JsonObject formed = Eventually.poll(Duration.ofSeconds(30), n::status,
          st -> st.getJsonObject("cluster", new JsonObject()).getInteger("members", 0) == 3);
      assertThat(formed.getJsonObject("cluster").getInteger("members")).as("members seen by %s", n.adminPort())
          .isEqualTo(3);
      JsonObject view = Eventually.poll(Duration.ofSeconds(10), n::cluster, v -> nodes(v) == 3);
      assertThat(nodes(view)).as("nodes in the view of %s", n.adminPort()).isEqualTo(3);
    }

    long writesBefore = clusterWrites(all);
    long start = System.nanoTime();
    for (int round = 0; round < 5; round++) { // 5 rounds x 3 nodes x 200 opens and closes = 6,000 events
      for (Node n : all) {
        for (WebSocket ws : open(n, 200)) {
          ws.close().await(10, TimeUnit.SECONDS);
        }
      }
    }
    long events = 0;
    for (Node n : all) {
      JsonObject s = Eventually.poll(Duration.ofSeconds(10), n::status,
          st -> st.getJsonObject("connections").getLong("closed", 0L) == 1000);
      JsonObject counts = s.getJsonObject("connections");
      assertThat(counts.getLong("opened")).isEqualTo(1000);
      assertThat(counts.getLong("closed")).isEqualTo(1000);
      events += counts.getLong("opened") + counts.getLong("closed");
    }
    assertThat(events).as("connection events the nodes counted").isEqualTo(6000);
    // the snapshots do reach the shared map: at least one write per node since the churn began
    long writes = Eventually.poll(Duration.ofSeconds(10), () -> clusterWrites(all) - writesBefore, w -> w >= all.size());
    double intervals = (System.nanoTime() - start) / (double) INTERVAL.toNanos();
    // each node writes once per interval, whatever the churn; the slack of a few intervals covers
    // ticks in flight at either end and reading three members' statistics one after another. One
    // write per connection event would be 6,000.
    long bound = (long) Math.ceil((intervals + 4) * all.size());
    assertThat(writes).as("Hazelcast map writes during %d connection events over %.1f intervals", events, intervals)
        .isBetween((long) all.size(), bound);
  }

  /** Hazelcast's own count of writes to the snapshot map, summed over the members that own them. */
  private static long clusterWrites(List<Node> nodes) {
    long sum = 0;
    for (Node n : nodes) {
      sum += n.cluster().getJsonObject("hazelcast").getLong("snapshotWritesOwnedHere");
    }
    return sum;
  }
}
