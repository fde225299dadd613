package dev.holdfast.node;

import dev.holdfast.node.ConnectionLedger.Rejection;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one periodic task of an echo verticle instance that enforces every connection deadline on
 * its event loop: the handshake timeout (accept to upgrade), the idle ping and its pong deadline,
 * the stall limit of a client that stops reading, and the expiry of each connection's token. No timer, task or object per connection:
 * deadlines are slots of {@link ChannelWheel}s and "had traffic" is membership of one
 * {@link HeldChannels} array per ping period, so an idle held connection costs nothing here.
 *
 * <p>Idle check by generations: every {@code pingAfter} the sweep pings each held connection that
 * had no traffic in the period just ended (so a connection is pinged after between one and two
 * periods of quiet), and at {@code pongTimeout} after that closes with 1001 each pinged connection
 * that has still sent nothing.
 */
final class ConnectionSweep {

  private static final long MIN_TICK_MILLIS = 50;
  private static final long MAX_TICK_MILLIS = 1000;

  private final ConnectionLedger ledger;
  private final HeldChannels held;
  private final long tickMillis;
  private final ChannelWheel handshakes;
  private final int handshakeTicks;
  private final ChannelWheel stalls;
  private final int stallTicks;
  private final int pingTicks;
  private final int pongTicks;

  private long tick;
  private HeldChannels active = new HeldChannels();
  private HeldChannels pinged;
  private long nextPingTick;
  private long pongDeadlineTick;
  private ScheduledFuture<?> task;
  private final ExpiryWheel expiries;

  ConnectionSweep(NodeConfig config, ConnectionLedger ledger, HeldChannels held) {
    this.ledger = ledger;
    this.held = held;
    this.tickMillis = tickMillis(config.handshakeTimeout(), config.pingAfter(), config.pongTimeout(),
        config.outboundStallTimeout());
    this.handshakeTicks = ticks(config.handshakeTimeout());
    this.handshakes = handshakeTicks == 0 ? null : new ChannelWheel(handshakeTicks);
    this.stallTicks = ticks(config.outboundStallTimeout());
    this.stalls = stallTicks == 0 ? null : new ChannelWheel(stallTicks);
    this.pingTicks = ticks(config.pingAfter());
    this.pongTicks = Math.max(1, ticks(config.pongTimeout()));
    this.nextPingTick = pingTicks;
    this.expiries = config.tokenSecret() == null ? null : new ExpiryWheel();
  }

  /** A fifth of the shortest deadline in force, so each is kept to within 20%, between 50 ms and 1 s. */
  static long tickMillis(Duration... deadlines) {
    long shortest = Long.MAX_VALUE;
    for (Duration d : deadlines) {
      if (!d.isZero()) {
        shortest = Math.min(shortest, d.toMillis());
      }
    }
    return Math.max(MIN_TICK_MILLIS, Math.min(MAX_TICK_MILLIS, shortest / 5));
  }

  private int ticks(Duration d) {
    return d.isZero() ? 0 : (int) Math.max(1, (d.toMillis() + tickMillis - 1) / tickMillis);
  }

  /** Starts the sweep on the instance's event loop. */
  void start(EventLoop loop) {
    if (handshakes != null || stalls != null || pingTicks > 0 || expiries != null) {
      task = loop.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }
  }

  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  /** A TCP connection was accepted: its handshake deadline starts now. */
  void onAccepted(Channel ch) {
    if (handshakes != null) {
      handshakes.add(ch, handshakeTicks);
    }
  }

  /** The handshake ended (upgraded, refused or the connection closed): no deadline any more. */
  void onHandshakeEnded(Channel ch) {
    if (handshakes != null) {
      handshakes.remove(ch);
    }
  }

  /** The connection was upgraded and is now held; the upgrade counts as traffic. */
  void onUpgraded(Channel ch) {
    onHandshakeEnded(ch);
    onTraffic(ch);
  }

  /** The client sent something (a pong included). */
  void onTraffic(Channel ch) {
    if (pingTicks > 0) {
      active.add(ch);
    }
  }

  /** The connection's outbound buffer passed its high water mark: the client reads slower than it sends. */
  void onUnwritable(Channel ch) {
    if (stalls != null) {
      stalls.add(ch, stallTicks);
    }
  }

  void onWritable(Channel ch) {
    if (stalls != null) {
      stalls.remove(ch);
    }
  }

  /** The connection was admitted with a token that expires at {@code expiresAt} (epoch seconds). */
  void onAuthenticated(Channel ch, long expiresAt) {
    expiries.add(ch, expiresAt);
  }

  void onClosed(Channel ch) {
    if (expiries != null) {
      expiries.remove(ch);
    }
    active.remove(ch);
    if (pinged != null) {
      pinged.remove(ch);
    }
    onWritable(ch);
  }

  private void tick() {
    tick++;
    if (handshakes != null) {
      for (Channel ch : handshakes.advance()) {
        if (ch.isActive()) {
          ledger.onRejected(Rejection.HANDSHAKE_TIMEOUT);
          ch.close(); // no HTTP answer: a client this slow to send a request is not waiting for one
        }
      }
    }
    if (stalls != null) {
      for (Channel ch : stalls.advance()) {
        if (ch.isActive() && !ch.isWritable()) {
          EchoFrameHandler.closeNow(ch, 1008, "not reading");
        }
      }
    }
    if (pingTicks > 0) {
      checkIdle();
    }
    if (expiries != null) {
      for (Channel ch : expiries.due(System.currentTimeMillis() / 1000)) {
        EchoFrameHandler.closeWith(ch, 1008, "token expired", true);
      }
    }
  }

  private void checkIdle() {
    if (pinged != null && tick >= pongDeadlineTick) {
      for (Channel ch : pinged.snapshot()) {
        if (!active.contains(ch) && ch.isActive()) {
          EchoFrameHandler.closeNow(ch, 1001, "no pong");
        }
      }
      pinged = null;
    }
    if (tick >= nextPingTick) {
      HeldChannels quiet = new HeldChannels();
      List<Channel> all = held.snapshot();
      for (Channel ch : all) {
        if (!active.contains(ch) && !EchoFrameHandler.closing(ch)) {
          quiet.add(ch);
          ch.writeAndFlush(new PingWebSocketFrame(), ch.voidPromise());
        }
      }
      pinged = quiet.size() == 0 ? null : quiet;
      active = new HeldChannels();
      nextPingTick = tick + pingTicks;
      pongDeadlineTick = tick + pongTicks;
    }
  }

  /** How many connections wait on a handshake deadline, for tests. */
  int handshaking() {
    return handshakes == null ? 0 : handshakes.size();
  }
}
