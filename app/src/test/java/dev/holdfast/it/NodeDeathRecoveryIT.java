package dev.holdfast.it;

import static dev.holdfast.it.StartedProcesses.get;
import static dev.holdfast.it.StartedProcesses.simHeld;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.holdfast.testing.Eventually;
import dev.holdfast.testing.FreePorts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of one node of three while a simulator holds a churning population on them with
 * messages flowing: the simulator reconnects the dead node's sockets to the two others with its
 * jittered backoff, and its report says how long the population took to be held within tolerance
 * again and how the reconnects spread over that time; this test bounds both. (That the survivors'
 * cluster total drops the dead node within the snapshot time-to-live is {@link ClusterProcessIT}'s.)
 */
class NodeDeathRecoveryIT {

  private static final int POPULATION = 600;
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  /**
   * The first backoff after a lost socket is this scaled by a random factor in [0.5, 1]: 2 to 4 s,
   * long enough that a second boundary cannot hold every reconnect.
   */
  private static final Duration BACKOFF_INITIAL = Duration.ofSeconds(4);
  /**
   * Held within tolerance again at most five first backoffs after the loss: the reconnects come
   * 2 to 4 s after it, one that picks the dead node before the cluster view dropped it (1.5 s)
   * backs off once more for 4 to 8 s, and the rest is slack for a loaded machine.
   */
  private static final double RECOVERY_BOUND_SECONDS = 5 * BACKOFF_INITIAL.toSeconds();

  private final StartedProcesses processes = new StartedProcesses();

  @AfterEach
  void tearDown() throws Exception {
    processes.close();
  }

  private static long nodeHeld(JsonObject status) {
    return status.getJsonObject("connections", new JsonObject()).getLong("held", -1L);
  }

  private static long progressLines(HoldfastProcess p) {
    return p.output().lines().filter(l -> l.contains("] held ")).count();
  }

  @Test
  void aKilledNodesSocketsReconnectSpreadOverSecondsAndThePopulationIsHeldAgainWithinTheBound(@TempDir Path dir)
      throws Exception {
    String cluster = "death-" + UUID.randomUUID(); // a cluster of its own: no other run can join it
    Path nodeConfig = dir.resolve("node.json");
    Files.writeString(nodeConfig, new JsonObject().put("instances", 1).put("osCountInterval", "500ms")
        .put("cluster", new JsonObject().put("name", cluster).put("publishInterval", "500ms").put("ttlIntervals", 3))
        .encode());
    List<HoldfastProcess> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(processes.start("node", "--config", nodeConfig.toString(),
          "--port", Integer.toString(FreePorts.belowEphemeralRange()), "--admin-port", "0"));
    }
    List<Integer> admins = new ArrayList<>();
    for (HoldfastProcess n : nodes) {
      admins.add(n.adminPort());
    }
    JsonObject three = Eventually.poll(DEADLINE, () -> get(admins.get(0), "/cluster"),
        c -> c.getJsonObject("totals", new JsonObject()).getInteger("nodes", 0) == 3);
    assertThat(three.getJsonObject("totals").getInteger("nodes")).isEqualTo(3);

    Path report = dir.resolve("report.json");
    Path simConfig = dir.resolve("sim.json");
    Files.writeString(simConfig, new JsonObject()
        .put("targets", "cluster").put("population", POPULATION).put("instances", 1)
        .put("ramp", new JsonObject().put("perSecond", 500).put("inFlight", 100))
        .put("churn", new JsonObject().put("fraction", 0.1).put("period", "10s")
            .put("reconnectDelay", new JsonArray().add("100ms").add("500ms")))
        .put("backoff", new JsonObject().put("initial", BACKOFF_INITIAL.toSeconds() + "s").put("max", "8s"))
        .put("messages", new JsonObject().put("interval", "1s").put("payloadBytes", 64))
        .put("progressInterval", "500ms").put("adminPort", 0)
        .put("report", new JsonObject().put("json", report.toString()))
        .put("cluster", new JsonObject().put("name", cluster).put("publishInterval", "500ms")).encode());
    HoldfastProcess sim = processes.start("simulate", "--config", simConfig.toString(), "--node-id", "sim-1",
        "--duration", "300s", "--source-address", "127.0.0.2");
    int simAdmin = sim.adminPort();
    long low = (long) (POPULATION * 0.95);
    Eventually.poll(DEADLINE, () -> get(simAdmin, "/status"), s -> simHeld(s) >= low);
    // and the report's timeline has seen it too (its samples are the progress ticks): otherwise the
    // sample before the loss may still be one of the ramp's, and the ramp's opens count as reconnects
    long rampedAt = progressLines(sim);
    Eventually.poll(Duration.ofSeconds(20), () -> progressLines(sim), n -> n >= rampedAt + 2);
    assertThat(simHeld(get(simAdmin, "/status"))).as("held before the kill").isGreaterThanOrEqualTo(low);
    // the victim holds its part: every node got some of the population
    int victimAdmin = admins.get(2);
    JsonObject victim = Eventually.poll(DEADLINE, () -> get(victimAdmin, "/status"), s -> nodeHeld(s) >= POPULATION / 6);
    long victimHeld = nodeHeld(victim);

    nodes.get(2).kill();
    assertThat(nodes.get(2).waitFor(Duration.ofSeconds(30))).as("exit status of SIGKILL").isEqualTo(137);
    JsonObject dipped = Eventually.poll(DEADLINE, () -> get(simAdmin, "/status"), s -> simHeld(s) < low);
    assertThat(simHeld(dipped)).as("the simulator saw the loss").isLessThan(low);
    JsonObject back = Eventually.poll(DEADLINE, () -> get(simAdmin, "/status"), s -> simHeld(s) >= low);
    assertThat(simHeld(back)).as(sim::output).isGreaterThanOrEqualTo(low);
    // a few more samples into the timeline, so that the report has the held-again one and the next
    long samples = progressLines(sim);
    Eventually.poll(Duration.ofSeconds(20), () -> progressLines(sim), n -> n >= samples + 3);

    sim.terminate();
    sim.waitFor(DEADLINE);
    assertThat(report).as(sim::output).exists();
    JsonObject r = new JsonObject(Files.readString(report));
    JsonObject recovery = r.getJsonObject("recovery");
    System.out.println("victim held " + victimHeld + "; recovery: " + recovery.encode());
    assertThat(recovery).as(sim::output).isNotNull();
    assertThat(sim.output()).contains("  recovery    lost ");

    // every loss was the dead node's: one loss, about as many sockets as it held when it died
    // (churn moves a few in the instant between the reading and the kill)
    long lost = recovery.getLong("lostConnections");
    assertThat(lost).isEqualTo(r.getJsonObject("churn").getLong("lostConnections"));
    assertThat((double) lost).isCloseTo(victimHeld, within(Math.max(10, victimHeld * 0.05)));
    assertThat(recovery.getLong("trough")).isLessThan(low);

    // held within tolerance again within the bound
    assertThat(recovery.getBoolean("recovered")).as(recovery::encodePrettily).isTrue();
    assertThat(recovery.getDouble("recoverySeconds")).as(recovery::encodePrettily)
        .isLessThanOrEqualTo(RECOVERY_BOUND_SECONDS);
    // spread, not a stampede: no second holds every reconnect, and from a tenth of the dip back to
    // nine tenths takes more than a second
    assertThat(recovery.getLong("busiestSecondOpens")).as(recovery::encodePrettily).isLessThan(lost);
    JsonObject backSeconds = recovery.getJsonObject("backSeconds");
    assertThat(backSeconds.getDouble("p90") - backSeconds.getDouble("p10")).as(recovery::encodePrettily)
        .isGreaterThan(1.0);

    // the messages in flight on the dead node were abandoned, not counted as lost or mismatched
    JsonObject messages = r.getJsonObject("messages");
    assertThat(messages.getLong("lost")).isZero();
    assertThat(messages.getLong("duplicated")).isZero();
    assertThat(messages.getLong("mismatched")).isZero();
    assertThat(messages.getLong("echoed")).isPositive();
  }
}
