package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeldChannelsTest {

  @Test
  void behavesLikeASetThroughGrowthAndShrinking() {
    HeldChannels held = new HeldChannels();
    Set<Channel> model = new HashSet<>();
    List<Channel> pool = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      pool.add(new EmbeddedChannel());
    }
    Random random = new Random(42);
    for (int step = 0; step < 50_000; step++) {
      Channel ch = pool.get(random.nextInt(pool.size()));
      // grow towards the whole pool, then drain, so both resizes are exercised
      boolean add = step < 25_000 ? random.nextInt(4) != 0 : random.nextInt(4) == 0;
      if (add) {
        held.add(ch);
        model.add(ch);
      } else {
        assertThat(held.remove(ch)).isEqualTo(model.remove(ch));
      }
      assertThat(held.size()).isEqualTo(model.size());
    }
    for (Channel ch : pool) {
      assertThat(held.contains(ch)).isEqualTo(model.contains(ch));
    }
    assertThat(new HashSet<>(held.snapshot())).isEqualTo(model);
  }
}
