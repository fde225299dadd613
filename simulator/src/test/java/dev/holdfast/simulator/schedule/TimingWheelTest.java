package dev.holdfast.simulator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingWheelTest {

  static final class Item extends TimingWheel.Entry {
    final String name;
    final List<Integer> firedAt = new ArrayList<>();

    Item(String name) {
      this.name = name;
    }
  }

  @Test
  void firesEachEntryAtItsTickEvenBeyondOneTurn() {
    TimingWheel<Item> wheel = new TimingWheel<>(8, 0);
    Item a = new Item("a");
    Item b = new Item("b");
    Item c = new Item("c");
    wheel.schedule(a, 3);
    wheel.schedule(b, 11); // same bucket as 3, one turn later
    wheel.schedule(c, 100);
    for (int i = 0; i < 120; i++) {
      wheel.advance(e -> e.firedAt.add(wheel.currentTick()));
    }
    assertThat(a.firedAt).containsExactly(3);
    assertThat(b.firedAt).containsExactly(11);
    assertThat(c.firedAt).containsExactly(100);
    assertThat(wheel.size()).isZero();
  }

  @Test
  void aPastTickMeansTheNextOne() {
    TimingWheel<Item> wheel = new TimingWheel<>(8, 50);
    Item a = new Item("a");
    wheel.schedule(a, 10);
    assertThat(a.dueTick()).isEqualTo(51);
  }

  @Test
  void reschedulingAndCancellingMoveTheEntry() {
    TimingWheel<Item> wheel = new TimingWheel<>(16, 0);
    Item a = new Item("a");
    Item b = new Item("b");
    wheel.schedule(a, 5);
    wheel.schedule(a, 7);
    wheel.schedule(b, 5);
    wheel.cancel(b);
    assertThat(b.scheduled()).isFalse();
    for (int i = 0; i < 10; i++) {
      wheel.advance(e -> e.firedAt.add(wheel.currentTick()));
    }
    assertThat(a.firedAt).containsExactly(7);
    assertThat(b.firedAt).isEmpty();
  }

  @Test
  void anEntryMayRescheduleItselfFromItsOwnCallback() {
    TimingWheel<Item> wheel = new TimingWheel<>(4, 0);
    Item a = new Item("a");
    wheel.schedule(a, 1);
    for (int i = 0; i < 20; i++) {
      wheel.advance(e -> {
        e.firedAt.add(wheel.currentTick());
        wheel.schedule(e, wheel.currentTick() + 4); // lands in the same bucket, one turn on
      });
    }
    assertThat(a.firedAt).containsExactly(1, 5, 9, 13, 17);
  }

  @Test
  void manyEntriesInOneBucketAllFire() {
    TimingWheel<Item> wheel = new TimingWheel<>(4, 0);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Item it = new Item("i" + i);
      items.add(it);
      wheel.schedule(it, 2 + 4 * (i % 3)); // ticks 2, 6, 10: one bucket
    }
    for (int i = 0; i < 12; i++) {
      wheel.advance(e -> e.firedAt.add(wheel.currentTick()));
    }
    for (int i = 0; i < 500; i++) {
      assertThat(items.get(i).firedAt).containsExactly(2 + 4 * (i % 3));
    }
  }

  @Test
  void tickClockConvertsBothWays() {
    TickClock clock = new TickClock(1_000, 10);
    assertThat(clock.tickAt(1_000)).isZero();
    assertThat(clock.tickAt(1_019)).isEqualTo(1);
    assertThat(clock.nominalNanos(3)).isEqualTo(1_030);
    assertThat(clock.ticksCeil(1)).isEqualTo(1);
    assertThat(clock.ticksCeil(21)).isEqualTo(3);
    assertThat(clock.ticksFloor(Long.MAX_VALUE)).isEqualTo(TickClock.FAR);
  }
}
