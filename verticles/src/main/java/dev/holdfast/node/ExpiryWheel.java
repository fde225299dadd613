package dev.holdfast.node;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;

/**
 * When each authenticated connection's token expires: a hashed timing wheel of one-second slots
 * (slot = expiry second modulo the wheel size, so any lifetime fits), each slot a
 * {@link HeldChannels} array allocated only while it holds someone. The expiry itself is kept on
 * the channel (one attribute), so a slot that comes round early keeps the channels whose time is
 * further off, and a closing connection leaves its slot in one step. Event loop only.
 */
final class ExpiryWheel {

  private static final int SLOTS = 4096; // about 68 minutes per turn
  static final AttributeKey<Long> EXPIRES_AT = AttributeKey.valueOf("holdfast.tokenExpiresAt");

  private final HeldChannels[] slots = new HeldChannels[SLOTS];
  private long checkedUpTo = -1;

  /** Registers {@code ch} to be handed back by {@link #due} once the clock reaches {@code expiresAt} (epoch seconds). */
  void add(Channel ch, long expiresAt) {
    ch.attr(EXPIRES_AT).set(expiresAt);
    int i = slot(expiresAt);
    if (slots[i] == null) {
      slots[i] = new HeldChannels();
    }
    slots[i].add(ch);
  }

  void remove(Channel ch) {
    if (!ch.hasAttr(EXPIRES_AT)) {
      return;
    }
    Long at = ch.attr(EXPIRES_AT).get();
    if (at != null) {
      HeldChannels s = slots[slot(at)];
      if (s != null && s.remove(ch) && s.size() == 0) {
        slots[slot(at)] = null;
      }
    }
  }

  /** The channels whose tokens have expired by {@code nowSeconds}, now out of the wheel. */
  List<Channel> due(long nowSeconds) {
    List<Channel> out = new ArrayList<>();
    long from = checkedUpTo < 0 ? nowSeconds : checkedUpTo + 1;
    from = Math.max(from, nowSeconds - SLOTS + 1); // after a long pause, one full turn covers every slot
    for (long second = from; second <= nowSeconds; second++) {
      HeldChannels s = slots[slot(second)];
      if (s == null) {
        continue;
      }
      for (Channel ch : s.snapshot()) {
        Long at = ch.attr(EXPIRES_AT).get();
        if (at == null || at <= nowSeconds) {
          s.remove(ch);
          out.add(ch);
        }
      }
      if (s.size() == 0) {
        slots[slot(second)] = null;
      }
    }
    checkedUpTo = nowSeconds;
    return out;
  }

  private static int slot(long second) {
    return (int) Math.floorMod(second, (long) SLOTS);
  }
}
