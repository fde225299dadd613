package dev.holdfast.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The churn benchmark's logic on known inputs, without a network or a clock: which rate the ladder
 * tries next and when it stops, what a step counts as holding the bound, the per-run arithmetic
 * (CPU per echo, net CPU per reconnect, memory per held connection) and the report's ratios and
 * verdicts. The speed itself is what {@code bench/churn.sh} measures.
 */
class ChurnBenchTest {

  private static final long BOUND = 50_000;

  /** A step that reached its rate over 5 s with the given echo p99, CPU and errors. */
  private static ChurnStep step(double rate, long p99Micros, double cpuSeconds, long errors) {
    return new ChurnStep(rate, 5, Math.round(rate * 5), Math.round(rate * 5), 0, 15_000, errors, 300, p99Micros, 2_000,
        15_000, cpuSeconds, 0.1);
  }

  @Test
  void theLadderDoublesWhileStepsHoldThenTriesTheMidpointOnce() {
    ChurnLadder ladder = new ChurnLadder(300, 2, 1, 8, BOUND);
    List<ChurnStep> done = new ArrayList<>();
    List<Double> tried = new ArrayList<>();
    long[] p99 = {2_000, 3_000, 8_000, 90_000, 20_000};
    for (OptionalDouble next; (next = ladder.next(done)).isPresent(); ) {
      tried.add(next.getAsDouble());
      done.add(step(next.getAsDouble(), p99[done.size()], 1, 0));
    }
    assertThat(tried).hasSize(5);
    assertThat(tried.subList(0, 4)).containsExactly(300.0, 600.0, 1200.0, 2400.0);
    assertThat(tried.get(4)).isCloseTo(Math.sqrt(1200 * 2400), within(1e-9)); // the geometric midpoint, ~1,697
    assertThat(ladder.sustainedPerSecond(done)).isCloseTo(done.get(4).achievedPerSecond(), within(1e-9));
    assertThat(ladder.stopReason(done)).contains("2,400/s").contains("echo p99 90.0 ms over the 50 ms bound");
  }

  @Test
  void theLadderStopsAtItsStepLimitAndWhenNothingHeld() {
    ChurnLadder capped = new ChurnLadder(100, 3, 2, 3, BOUND);
    List<ChurnStep> done = new ArrayList<>(List.of(step(100, 1_000, 1, 0), step(300, 1_000, 1, 0), step(900, 1_000, 1, 0)));
    assertThat(capped.next(done)).isEmpty();
    assertThat(capped.stopReason(done)).contains("--max-steps 3");
    assertThat(capped.sustainedPerSecond(done)).isEqualTo(900.0);

    ChurnLadder ladder = new ChurnLadder(100, 2, 2, 8, BOUND);
    List<ChurnStep> none = new ArrayList<>(List.of(step(100, 60_000, 1, 0)));
    assertThat(ladder.next(none)).as("nothing held: look below").hasValue(50.0);
    none.add(step(50, 70_000, 1, 0));
    assertThat(ladder.next(none)).hasValue(25.0);
    none.add(step(25, 80_000, 1, 0));
    assertThat(ladder.next(none)).as("refinements used up").isEmpty();
    assertThat(ladder.sustainedPerSecond(none)).isZero();
  }

  @Test
  void aStepHoldsOnlyWithinTheBoundAtItsRateWithoutErrors() {
    assertThat(step(1000, 50_000, 1, 0).held(BOUND)).isTrue();
    assertThat(step(1000, 50_001, 1, 0).failure(BOUND)).contains("over the 50 ms bound");
    assertThat(step(1000, 1_000, 1, 2).failure(BOUND)).isEqualTo("2 errors");
    ChurnStep slow = new ChurnStep(1000, 5, 4_000, 4_000, 0, 15_000, 0, 300, 1_000, 2_000, 15_000, 1, 0);
    assertThat(slow.achievedPerSecond()).isEqualTo(800.0);
    assertThat(slow.failure(BOUND)).isEqualTo("800 reconnects/s reached of 1,000");
    ChurnStep enough = new ChurnStep(1000, 5, 4_500, 4_500, 0, 15_000, 0, 300, 1_000, 2_000, 15_000, 1, 0);
    assertThat(enough.held(BOUND)).as("90% of the rate is enough").isTrue();
  }

  @Test
  void aRunsFiguresComeFromItsReadings() {
    ChurnRun r = run("holdfast", 1, 4.5, 0.5, 300 * 1.0, 25, 30);
    // cold: 4.5 s of CPU over 15,000 handshakes
    assertThat(r.coldCpuMicrosPerHandshake()).isCloseTo(300, within(1e-9));
    assertThat(r.coldHandshakesPerSecond()).isCloseTo(3_000, within(1e-9));
    // echo only: 0.5 s of CPU over 15,000 echoes in 5 s
    assertThat(r.cpuMicrosPerEcho()).isCloseTo(33.333, within(0.001));
    // the step at 1,000/s: 5,000 reconnects, 2.0 s of CPU of which 0.5 s is what the echo-only step used in 5 s
    ChurnStep s = r.steps().get(0);
    assertThat(r.netCpuMicrosPerReconnect(s)).isCloseTo(300, within(1e-9));
    // warm: every step that reached its rate (the one over the bound too), (1.5 + 3.0 + 6.0) s over 35,000 reconnects
    assertThat(r.reachedRates()).containsExactly(1_000.0, 2_000.0, 4_000.0);
    assertThat(r.warmCpuMicrosPerReconnect()).isCloseTo(10.5e6 / 35_000, within(1e-9));
    // at the rates given only: (1.5 + 3.0) s over 15,000
    assertThat(r.warmCpuMicrosPerReconnect(Set.of(1_000.0, 2_000.0))).isCloseTo(4.5e6 / 15_000, within(1e-9));
    assertThat(r.sustainedPerSecond()).isEqualTo(2_000.0);
    assertThat(r.sustainedPerSecondPerCore()).isEqualTo(1_000.0);
    // memory: 30 MB held after the cold connect, 5 MB after all closed, 15,000 held; RSS 100 MiB before, 130 MiB held
    assertThat(r.heapPerHeldConnection()).isCloseTo(25_000_000 / 15_000.0, within(1e-9));
    assertThat(r.rssPerHeldConnection()).isCloseTo(30 * 1048576.0 / 15_000, within(1e-6));
    assertThat(r.threadsAtRest()).isEqualTo(30);
    assertThat(r.countsAgree()).isTrue();
  }

  @Test
  void theReportJudgesTheTargetsOnTheMedianOfEachRoundsRatio() {
    // plain Netty: 300 µs cold, 300 µs warm, 33 µs per echo, 2,000/s sustained, 22 threads
    // holdfast: rounds at 0.7x, 0.9x, 0.75x of Netty's warm CPU: median 0.75x, met at <= 0.8x;
    // cold at 1.2x in every round: not met at <= 1.0x
    double[] warmScale = {0.7, 0.9, 0.75};
    List<List<ChurnRun>> rounds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rounds.add(List.of(run("netty", i + 1, 4.5, 0.5, 300, 25, 22),
          run("holdfast", i + 1, 4.5 * 1.2, 0.5, 300 * warmScale[i], 25, 30)));
    }
    JsonObject settings = new JsonObject().put("connections", 15_000).put("boundMicros", BOUND)
        .put("intervalSeconds", 5L).put("messageBytes", 32).put("sources", 4).put("inFlight", 128)
        .put("firstPerSecond", 1_000.0).put("firstFraction", 0.667).put("periodSeconds", 10L).put("factor", 2.0)
        .put("refinements", 0).put("maxSteps", 8).put("settleSeconds", 1.0).put("steadySeconds", 5.0)
        .put("serverThreads", 2).put("serverCores", 2).put("jvmFlags", "-Xmx2g").put("command", "test")
        .put("leanNode", new JsonObject().put("report", "lean-node-x.json").put("liveHeapBytesPerConnection", 1700.0)
            .put("rssGrowthBytesPerConnection", 4000.0));
    ChurnReport report = new ChurnReport("test", new JsonObject(), settings, rounds, List.of());

    double[] warm = report.ratios("holdfast", "netty", ChurnRun::warmCpuMicrosPerReconnect);
    assertThat(warm[0]).isCloseTo(0.7, within(1e-9));
    assertThat(warm[1]).isCloseTo(0.9, within(1e-9));
    assertThat(ChurnReport.median(warm)).isCloseTo(0.75, within(1e-9));
    List<ChurnReport.Target> targets = report.targets(settings.getJsonObject("leanNode"));
    assertThat(targets.get(0).cell(report, "holdfast")).startsWith("**0.75×**").contains(": met")
        .contains("[0.70×, 0.90×, 0.75×]");
    assertThat(targets.get(1).cell(report, "holdfast")).startsWith("**1.20×**").contains("**not met**");
    assertThat(targets.get(2).cell(report, "holdfast")).startsWith("**1.00×**").contains(": met");
    assertThat(targets.get(3).cell(report, "holdfast")).startsWith("**1.00×**").contains("**not met**"); // needs 1.25x
    assertThat(targets.get(4).cell(report, "holdfast")).startsWith("30 (Netty 22): met");
    // 25e6 / 15,000 = 1,667 B: below the lean node's 1,700 B; RSS 2,097 B against 4,000 B
    assertThat(targets.get(5).cell(report, "holdfast")).contains("0.98× the lean node").contains(": met");
    assertThat(targets.get(6).cell(report, "holdfast")).contains(": met");

    String md = report.markdown("churn-test");
    assertThat(md).contains("| CPU per handshake, warm (per reconnect) | ≤ 0.8× | **0.75×**")
        .contains("| holdfast node |").contains("churn-test-p99.svg");
  }

  @Test
  void serversCompareWarmCpuAtTheRatesAllOfThemReached() {
    ChurnRun netty = run("netty", 1, 4.5, 0.5, 300, 25, 22);
    ChurnRun slow = run("holdfast", 1, 4.5, 0.5, 200, 25, 30);
    // the slow server reached only half of 4,000/s: that step's CPU is not compared
    List<ChurnStep> steps = new ArrayList<>(slow.steps());
    ChurnStep s4 = steps.get(2);
    steps.set(2, new ChurnStep(4_000, 5, 10_000, 10_000, 0, 15_000, 0, 300, 80_000, 2_000, 15_000,
        s4.serverCpuSeconds(), 0.1));
    ChurnRun holdfast = new ChurnRun("holdfast", 1, 29, 30, slow.cold(), slow.rest(), steps, slow.ladder(), 2,
        slow.before(), slow.connected(), slow.afterChurn(), slow.released(), 15_000, 15_000, 0, new JsonObject());
    ChurnReport report = new ChurnReport("test", new JsonObject(), new JsonObject(), List.of(List.of(netty, holdfast)),
        List.of());
    assertThat(report.commonRates(0)).containsExactly(1_000.0, 2_000.0);
    assertThat(report.warm(netty)).isCloseTo(300, within(1e-9));
    assertThat(report.warm(holdfast)).isCloseTo(200, within(1e-9));
    assertThat(report.ratios("holdfast", "netty", report::warm)[0]).isCloseTo(2.0 / 3, within(1e-9));
  }

  @Test
  void aReconnectedConnectionJoinsItsPhaseAtTheNextSlot() {
    EchoSchedule s = new EchoSchedule(1_000, 100, 10_000, 4); // phases 0, 25, 50, 75 ns after the start
    assertThat(s.firstSeqFrom(2, 0)).isZero();
    assertThat(s.firstSeqFrom(2, 1_050)).isZero(); // due right now
    assertThat(s.firstSeqFrom(2, 1_051)).isEqualTo(1);
    assertThat(s.firstSeqFrom(2, 1_350)).isEqualTo(3);
    assertThat(s.due(2, s.firstSeqFrom(2, 1_351))).isGreaterThanOrEqualTo(1_351);
  }

  /**
   * A run with a 15,000 cold connect using {@code coldCpu} s, an echo-only step using
   * {@code restCpu} s over 5 s, and three steps: 1,000/s (held) and 2,000/s (held) whose net CPU per
   * reconnect is {@code warmMicros}, then 4,000/s failing the bound; 2 cores.
   */
  private static ChurnRun run(String server, int round, double coldCpu, double restCpu, double warmMicros,
      long heldHeapMb, long threads) {
    ChurnLadder ladder = new ChurnLadder(1_000, 2, 0, 8, BOUND);
    ChurnStep rest = new ChurnStep(0, 5, 0, 0, 0, 15_000, 0, 300, 2_000, 0, 15_000, restCpu, 0.2);
    List<ChurnStep> steps = List.of(
        step(1_000, 5_000, restCpu + 5_000 * warmMicros / 1e6, 0),
        step(2_000, 9_000, restCpu + 10_000 * warmMicros / 1e6, 0),
        step(4_000, 80_000, restCpu + 20_000 * warmMicros / 1e6, 0));
    Snapshot before = new Snapshot(0, 5_000_000, 100 * 1024, 50 * 1024, null);
    Snapshot connected = new Snapshot(15_000, heldHeapMb * 1_000_000 + 5_000_000, 130 * 1024, 70 * 1024, null);
    Snapshot afterChurn = new Snapshot(15_000, heldHeapMb * 1_000_000 + 6_000_000, 250 * 1024, 190 * 1024, null);
    Snapshot released = new Snapshot(0, 5_000_000, 250 * 1024, 190 * 1024, null);
    return new ChurnRun(server, round, threads - 1, threads, new ColdRun(server, round, 15_000, 0, 5, coldCpu, 20_000, 0),
        rest, steps, ladder, 2,
        before, connected, afterChurn, released, server.equals("netty") ? -1 : 15_000, 15_000, 0, new JsonObject());
  }
}
