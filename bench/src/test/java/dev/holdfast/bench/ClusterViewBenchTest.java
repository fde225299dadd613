package dev.holdfast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.Eventually;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster-view benchmark's short mode: two real Hazelcast members (in this JVM) host N
 * simulated publishers; after a few intervals every publisher's view must count all N nodes with
 * exactly the publishers' total, no older than the snapshots' time-to-live. Correctness only: the
 * speed is what {@code bench/cluster-view.sh} measures.
 */
class ClusterViewBenchTest {

  private static final Duration INTERVAL = Duration.ofMillis(500);
  private static final int TTL = 3;
  private final List<ViewMember> members = new ArrayList<>();

  @AfterEach
  void leave() throws Exception {
    for (ViewMember m : members) {
      m.close();
    }
  }

  @Test
  void todaysViewAtTen() throws Exception {
    everyViewCountsEveryPublisherWithinTheTimeToLive("all-read", 10);
  }

  @Test
  void todaysViewAtAHundred() throws Exception {
    everyViewCountsEveryPublisherWithinTheTimeToLive("all-read", 100);
  }

  @Test
  void summaryAtTen() throws Exception {
    everyViewCountsEveryPublisherWithinTheTimeToLive("summary", 10);
  }

  @Test
  void summaryAtAHundred() throws Exception {
    everyViewCountsEveryPublisherWithinTheTimeToLive("summary", 100);
  }

  private void everyViewCountsEveryPublisherWithinTheTimeToLive(String design, int n) throws Exception {
    String cluster = "view-bench-" + UUID.randomUUID();
    members.add(ViewMember.join(cluster, design, 0, n / 2, INTERVAL, TTL));
    members.add(ViewMember.join(cluster, design, n / 2, n - n / 2, INTERVAL, TTL));
    Eventually.poll(Duration.ofSeconds(60), () -> members.get(0).clusterSize(), size -> size == 2);
    for (ViewMember m : members) {
      m.start();
    }
    long expected = ViewMember.expectedTotal(n);
    assertThat(expected).isEqualTo(1_000L * n + (long) n * (n - 1) / 2);
    // every view of both members right at once: all N nodes, the exact total
    List<JsonObject> last = Eventually.poll(Duration.ofSeconds(60), () -> samples(n, expected),
        ss -> ss.stream().allMatch(s -> s.getBoolean("allStarted") && s.getInteger("readers") > 0
            && s.getInteger("viewsCorrect").equals(s.getInteger("readers"))));
    for (JsonObject s : last) {
      assertThat(s.getInteger("readers")).as("publishers reading a view in %s", s).isEqualTo(s.getInteger("publishers"));
      assertThat(s.getInteger("viewsCorrect")).as("views with %d nodes and total %d: %s", n, expected, s)
          .isEqualTo(s.getInteger("readers"));
      assertThat(s.getLong("viewNodesMin")).isEqualTo(n);
      // a snapshot is at most one interval old when read; all-read views are refreshed every interval,
      // the summary adds one hop (summarized, then read): a bound in intervals, with one for a loaded machine
      assertThat(s.getDouble("stalenessMaxIntervals")).as("oldest snapshot behind a view, in intervals: %s", s)
          .isLessThanOrEqualTo(TTL + 1);
    }
    // reads are counted between samples: some window of the next ones holds a tick's reads
    long reads = Eventually.poll(Duration.ofSeconds(30),
        () -> samples(n, expected).stream().mapToLong(s -> s.getLong("snapshotReadsHere")).sum(), r -> r > 0);
    assertThat(reads).as("snapshot reads counted between two samples").isPositive();
  }

  private List<JsonObject> samples(int n, long expected) {
    return members.stream().map(m -> m.sample(n, expected)).toList();
  }
}
