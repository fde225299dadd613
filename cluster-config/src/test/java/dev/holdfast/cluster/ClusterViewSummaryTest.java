package dev.holdfast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.Eventually;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The view's totals come from the one summary the oldest member writes, and when that member dies
 * the next oldest takes over: real embedded Hazelcast, three members in one JVM.
 */
class ClusterViewSummaryTest {

  private static final Duration INTERVAL = Duration.ofMillis(300);

  private final EmbeddedViews views = new EmbeddedViews(INTERVAL);

  @AfterEach
  void tearDown() {
    views.close();
  }

  private ClusterView view(String cluster, String nodeId, long held) throws Exception {
    return views.start(cluster, nodeId, held);
  }

  private static JsonObject fresh(ClusterView v) {
    try {
      return v.freshJson().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String summedBy(ClusterView v) {
    return v.toJson().getJsonObject("totals").getString("summedBy");
  }

  @Test
  void theOldestSumsForEveryoneAndTheNextOldestTakesOverWhenItDies() throws Exception {
    String cluster = "summary-" + UUID.randomUUID();
    ClusterView a = view(cluster, "a", 5); // the first member: the oldest, so the summarizer
    ClusterView b = view(cluster, "b", 7);
    ClusterView c = view(cluster, "c", 11);
    for (ClusterView v : List.of(a, b, c)) {
      Eventually.poll(Duration.ofSeconds(60), v::heldByNodes, n -> n == 23);
    }
    assertThat(a.toJson().getJsonObject("hazelcast").getBoolean("summarizer")).isTrue();
    assertThat(summedBy(a)).isEqualTo("this member");
    // the others take the summary's totals once it is over their member list
    for (ClusterView v : List.of(b, c)) {
      Eventually.poll(Duration.ofSeconds(30), () -> summedBy(v) + " " + v.heldByNodes(), s -> s.equals("the summarizer 23"));
      assertThat(v.toJson().getJsonObject("hazelcast").getBoolean("summarizer")).isFalse();
    }
    // the rows are read on demand, fresh to within an interval
    // (a member that has just joined may read no rows while the partitions migrate to it: it asks again)
    JsonObject rows = Eventually.poll(Duration.ofSeconds(30), () -> fresh(c),
        j -> j.getJsonArray("nodes").size() == 3);
    assertThat(rows.getJsonArray("nodes")).as(rows.encodePrettily()).hasSize(3);
    assertThat(rows.getLong("rowsAgeMs")).isLessThanOrEqualTo(INTERVAL.toMillis() * 2);

    // the summarizer dies (its Hazelcast cut off, as a kill looks from the others)
    views.kill(0);
    Eventually.poll(Duration.ofSeconds(30), () -> b.toJson().getJsonObject("hazelcast").getBoolean("summarizer"), s -> s);
    Eventually.poll(Duration.ofSeconds(30), () -> summedBy(c) + " " + c.heldByNodes(), s -> s.equals("the summarizer 18"));
    JsonObject seen = c.toJson();
    assertThat(seen.getJsonObject("totals").getLong("held")).as("a is not counted, b and c once each").isEqualTo(18);
    assertThat(seen.getJsonObject("totals").getLong("nodes")).isEqualTo(2);
    assertThat(seen.getBoolean("partial")).as("a vanished without leaving: " + seen.encodePrettily()).isTrue();
    assertThat(seen.getJsonArray("missingMembers").getJsonObject(0).getString("nodeId")).isEqualTo("a");
    JsonObject bSeen = Eventually.poll(Duration.ofSeconds(30), b::toJson, j -> j.getJsonObject("totals").getLong("held") == 18);
    assertThat(bSeen.getJsonObject("totals").getLong("held")).as(bSeen.encodePrettily()).isEqualTo(18);
  }
}
