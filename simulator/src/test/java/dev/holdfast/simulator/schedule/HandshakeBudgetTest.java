package dev.holdfast.simulator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HandshakeBudgetTest {

  private static final long TICK = 10_000_000L;

  @Test
  void startsAtTheRampRate() {
    HandshakeBudget b = new HandshakeBudget(500, 1_000_000, TICK); // 5 per 10 ms tick
    int started = 0;
    for (int tick = 0; tick < 100; tick++) { // one second
      b.refill();
      while (b.tryStart()) {
        started++;
        b.finished();
      }
    }
    assertThat(started).isEqualTo(500);
  }

  @Test
  void slowRatesAreNotStarvedByRounding() {
    HandshakeBudget b = new HandshakeBudget(3, 10, TICK); // 0.03 per tick
    int started = 0;
    for (int tick = 0; tick < 1000; tick++) { // ten seconds
      b.refill();
      while (b.tryStart()) {
        started++;
        b.finished();
      }
    }
    assertThat(started).isBetween(29, 30);
  }

  @Test
  void boundsHandshakesInFlight() {
    HandshakeBudget b = new HandshakeBudget(100_000, 3, TICK);
    b.refill();
    assertThat(b.tryStart()).isTrue();
    assertThat(b.tryStart()).isTrue();
    assertThat(b.tryStart()).isTrue();
    assertThat(b.tryStart()).isFalse();
    b.finished();
    assertThat(b.tryStart()).isTrue();
    assertThat(b.inFlight()).isEqualTo(3);
  }

  @Test
  void aLateLoopCatchesUpAFewTicksButNoMore() {
    HandshakeBudget b = new HandshakeBudget(100, 1_000, TICK); // 1 per tick
    for (int i = 0; i < 50; i++) {
      b.refill(); // 50 ticks processed at once after a stall
    }
    int burst = 0;
    while (b.tryStart()) {
      burst++;
    }
    assertThat(burst).isEqualTo(HandshakeBudget.BURST_TICKS);
  }

  @Test
  void resizingKeepsWhatIsInFlight() {
    HandshakeBudget b = new HandshakeBudget(100_000, 5, TICK);
    b.refill();
    for (int i = 0; i < 5; i++) {
      b.tryStart();
    }
    b.resize(100_000, 2);
    assertThat(b.inFlight()).isEqualTo(5);
    b.refill();
    assertThat(b.tryStart()).isFalse();
  }
}
