package dev.holdfast.node;

import dev.holdfast.vertx.VertxInternals;
import dev.holdfast.websocket.HandshakeLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One echo verticle instance: binds the WebSocket port on its own event loop and holds the
 * connections that the kernel hands to that loop.
 *
 * <p>Why not Vert.x's own HTTP server: a WebSocket held by it keeps two pre-allocated outbound
 * queues (about 8 KB) and the upgraded HTTP connection's request, response and headers, some 15 KB
 * per idle socket against under 2 KB for Netty's own WebSocket codec. So each instance runs a
 * Netty pipeline directly on the event loop Vert.x gave its context: the upgrade read in place
 * ({@link InPlaceUpgradeHandler}), then Netty's WebSocket frame codec; and Vert.x keeps what it is
 * good at: deployment, admin HTTP, metrics and clustering.
 * With native epoll every instance binds the same port with {@code SO_REUSEPORT} and the kernel
 * spreads new connections across them; each instance counts its own in its {@link ConnectionLedger}.
 */
public final class EchoVerticle extends VerticleBase {

  private final NodeConfig config;
  private final int port;
  private final boolean reusePort;
  private final Admission admission;
  private final ConnectionLedger ledger;
  private final HeldChannels held = new HeldChannels();
  private final Supplier<DrainPace> pace;

  private EventLoop loop;
  private Channel server;
  private EchoFrameHandler echo;
  private ConnectionSweep sweep;
  private io.netty.util.concurrent.ScheduledFuture<?> tlsReload;
  private Promise<Void> drained;
  // the drain's state, on this loop only: the connections held when it began, how far it has got
  private List<Channel> toClose;
  private int closesSent;
  private long drainStartNanos;
  private ScheduledFuture<?> drainTick;

  EchoVerticle(NodeConfig config, int port, boolean reusePort, Admission admission, ConnectionLedger ledger,
      Supplier<DrainPace> pace) {
    this.config = config;
    this.pace = pace;
    this.port = port;
    this.reusePort = reusePort;
    this.admission = admission;
    this.ledger = ledger;
  }

  @Override
  public Future<?> start() {
    loop = VertxInternals.eventLoop(context);
    sweep = new ConnectionSweep(config, ledger, held);
    AddressCap addressCap = config.maxConnectionsPerAddress() == 0 ? null
        : admission.addressCap(config.maxConnectionsPerAddress());
    echo = new EchoFrameHandler(config, ledger, held, sweep, addressCap, this::onClosed);
    UpgradeGate gate = new UpgradeGate(config, admission, ledger, held, sweep);
    TlsFiles tls = config.tlsCertFile() == null ? null : TlsFiles.load(config.tlsCertFile(), config.tlsKeyFile());
    if (tls != null && !config.tlsReloadInterval().isZero()) {
      long every = config.tlsReloadInterval().toMillis();
      tlsReload = loop.scheduleAtFixedRate(tls::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    }
    boolean compression = config.compression();
    // per-message deflate is negotiated by Netty's HTTP codec path; otherwise the upgrade is read in place
    ChannelHandler upgrade = compression ? new UpgradeHandler(config, gate, sweep, echo)
        : new InPlaceUpgradeHandler(config, gate, sweep, echo);
    ChannelHandler child = tls == null && !compression ? upgrade : new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        if (tls != null) {
          ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
        }
        if (compression) {
          ch.pipeline().addLast(UpgradeHandler.HTTP_CODEC, new HttpServerCodec(HandshakeLimits.MAX_INITIAL_LINE_BYTES,
              HandshakeLimits.MAX_HEADER_BYTES, HandshakeLimits.MAX_BODY_BYTES));
          ch.pipeline().addLast("aggregate", new HttpObjectAggregator(HandshakeLimits.MAX_BODY_BYTES));
          ch.pipeline().addLast("deflate", new WebSocketServerCompressionHandler(config.maxMessageBytes()));
        }
        ch.pipeline().addLast("upgrade", upgrade);
      }
    };
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loop) // acceptor and connections both on this instance's own event loop
        .channelFactory(VertxInternals.serverChannelFactory(vertx))
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(config.writeBufferHighBytes() / 2, config.writeBufferHighBytes()))
        .childHandler(child); // without TLS or deflate, no initializer: the upgrade handler is the whole pipeline
    if (reusePort && vertx.isNativeTransportEnabled()) {
      bootstrap.option(UnixChannelOption.SO_REUSEPORT, true);
    } else if (reusePort) {
      bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
    }
    Promise<Void> bound = Promise.promise();
    bootstrap.bind(new InetSocketAddress(config.host(), port)).addListener(f -> {
      if (f.isSuccess()) {
        server = ((io.netty.channel.ChannelFuture) f).channel();
        sweep.start(loop);
        bound.complete();
      } else {
        bound.fail(f.cause());
      }
    });
    return bound.future();
  }

  /** The port this instance listens on (the OS's choice when configured as 0). */
  int boundPort() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Which event loop thread this instance runs on, to check one instance per loop. */
  EventLoop eventLoop() {
    return loop;
  }

  /**
   * Stops accepting, then sends the held connections their 1001 close frames paced by the node's
   * {@link DrainPace} (one periodic task on this loop), and completes when all have closed or when
   * the close timeout after the drain's end cuts off those that did not answer.
   */
  @Override
  public Future<?> stop() {
    Promise<Void> done = Promise.promise();
    loop.execute(() -> {
      drained = done;
      sweep.stop();
      if (tlsReload != null) {
        tlsReload.cancel(false);
      }
      if (server != null) {
        server.close();
      }
      DrainPace plan = pace.get();
      toClose = held.snapshot();
      drainStartNanos = System.nanoTime();
      long cutOffMillis = plan.length().toMillis() + config.closeTimeout().toMillis();
      drainTick(plan, cutOffMillis);
      if (held.size() > 0) {
        drainTick = loop.scheduleAtFixedRate(() -> drainTick(plan, cutOffMillis),
            DrainPace.TICK_MILLIS, DrainPace.TICK_MILLIS, TimeUnit.MILLISECONDS);
      }
      completeDrainIfEmpty();
    });
    return done.future();
  }

  /** Sends the closes due by now; past the cut-off, closes whatever is still held without waiting. */
  private void drainTick(DrainPace plan, long cutOffMillis) {
    if (toClose == null) {
      return; // the drain is complete
    }
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStartNanos);
    int due = plan.dueBy(toClose.size(), elapsed);
    while (toClose != null && closesSent < due) { // null once the last close completed the drain
      Channel ch = toClose.get(closesSent++);
      if (ch.isActive()) { // one that left on its own still counts: the pace never speeds up
        echo.closeWith(ch, 1001, "going away", false);
      }
    }
    if (elapsed >= cutOffMillis) {
      for (Channel ch : held.snapshot()) {
        ch.close(); // did not answer its close frame in time
      }
    }
  }

  private void onClosed(Channel ch) {
    if (drained != null) {
      completeDrainIfEmpty();
    }
  }

  private void completeDrainIfEmpty() {
    if (held.size() == 0 && drained.tryComplete()) {
      if (drainTick != null) {
        drainTick.cancel(false);
      }
      toClose = null;
    }
  }
}
