package dev.holdfast.node;

import dev.holdfast.vertx.VertxInternals;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * Warms a starting node's handshake and echo paths before it reports ready, so that its first
 * reconnect storm does not run them interpreted, loading classes as it goes.
 *
 * <p>It deploys a throwaway set of echo verticle instances, one per event loop like the node's own,
 * on a port the OS picks, with ledgers and an admission of their own; makes
 * {@link WarmupSettings#connections()} real WebSocket handshakes to them over loopback from a lean
 * Netty client on the same event loops, each sending {@link WarmupSettings#messages()} text
 * messages and waiting for their echoes before it closes with 1000; then undeploys them. The
 * node's ledgers, metrics, {@code /status}, cluster snapshot and kernel count never see these
 * connections: they are on another port and counted only here, in the one log line the warm-up
 * writes. The node's own port is bound only after it.
 *
 * <p>On Linux, where all of 127.0.0.0/8 is loopback, the warm-up's client sockets are bound to
 * {@link #CLIENT_SOURCE} when the node listens on 127.0.0.1: their ephemeral ports are then never
 * taken from 127.0.0.1, so a port another process (or this node, next) is about to bind there
 * cannot be occupied by a warm-up socket. Several nodes starting at once on one machine each make
 * thousands of these connections; from 127.0.0.1 one of them took a port a demo had handed to
 * the next node ("Address already in use").
 */
final class LoopbackWarmup {

  /** The source address of the warm-up's client sockets when the node listens on 127.0.0.1 (Linux). */
  static final String CLIENT_SOURCE = "127.0.0.254";

  private static final Logger LOG = Logger.getLogger(LoopbackWarmup.class.getName());
  /** Handshakes in flight per event loop: enough to keep the loops busy, few enough to keep each short. */
  private static final int IN_FLIGHT_PER_LOOP = 16;
  /** A 32-byte text message, the size the benchmarks echo. */
  private static final String MESSAGE = "holdfast warm-up message 0123456";

  private final Vertx vertx;
  private final Context context;
  private final NodeConfig config;
  private final WarmupSettings settings;
  private final List<EventLoop> loops;
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicInteger upgraded = new AtomicInteger();
  private final AtomicInteger echoed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
  private final Set<Channel> open = ConcurrentHashMap.newKeySet();
  private final Promise<Void> done = Promise.promise();
  private volatile boolean stopping;
  private Bootstrap client;

  private LoopbackWarmup(Vertx vertx, NodeConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.settings = config.warmup();
    this.loops = VertxInternals.eventLoops(vertx);
    this.context = vertx.getOrCreateContext();
  }

  /**
   * What a warm-up did: handshakes asked for, upgraded, messages echoed, connections that failed,
   * how long it took and whether it stopped at its timeout.
   */
  record Result(int connections, int upgraded, int echoed, int failed, long millis, boolean timedOut) {
  }

  /**
   * Runs the warm-up when the config asks for one (else completes at once with null); completes when
   * it is over, whatever its connections did (they are logged). Fails only if the throwaway echo
   * instances cannot start, which the node's own would not either (a bad TLS file, say).
   */
  static Future<Result> run(Vertx vertx, NodeConfig config) {
    if (!config.warmup().enabled()) {
      return Future.succeededFuture();
    }
    return new LoopbackWarmup(vertx, config).run();
  }

  private Future<Result> run() {
    // every step on one context of no deployment's, as when the node deploys without a warm-up:
    // what the node starts after it (its admin server) must not be tied to the undeployed instances
    Promise<Result> result = Promise.promise();
    context.runOnContext(v -> warmUp().onComplete(result));
    return result.future();
  }

  private Future<Result> warmUp() {
    long startNanos = System.nanoTime();
    int instances = config.instances();
    ConnectionLedger[] ledgers = new ConnectionLedger[instances];
    for (int i = 0; i < ledgers.length; i++) {
      ledgers[i] = new ConnectionLedger();
    }
    Admission admission = new Admission(ledgers, Long.MAX_VALUE);
    List<EchoVerticle> servers = new ArrayList<>();
    List<String> deployments = new ArrayList<>();
    boolean reusePort = instances > 1;
    return deploy(servers, deployments, 0, 1, reusePort, admission, ledgers).compose(v -> {
      int port = servers.get(0).boundPort();
      Future<Void> rest = instances > 1
          ? deploy(servers, deployments, port, instances - 1, true, admission, ledgers)
          : Future.succeededFuture();
      return rest.compose(w -> drive(port));
    }).eventually(() -> {
      List<Future<?>> undeploys = new ArrayList<>();
      for (String id : deployments) {
        undeploys.add(vertx.undeploy(id));
      }
      return Future.join(undeploys);
    }).map(v -> result(startNanos)).onSuccess(this::log);
  }

  private Future<Void> deploy(List<EchoVerticle> servers, List<String> deployments, int port, int instances,
      boolean reusePort, Admission admission, ConnectionLedger[] ledgers) {
    // a warm-up connection still closing when the instances stop is closed at once, not paced
    DrainPace none = DrainPace.plan(0, new DrainSettings().window(Duration.ZERO));
    return vertx.deployVerticle(() -> {
      synchronized (servers) {
        EchoVerticle v = new EchoVerticle(config, port, reusePort, admission, ledgers[servers.size()], () -> none);
        servers.add(v);
        return v;
      }
    }, new DeploymentOptions().setInstances(instances)).onSuccess(deployments::add).mapEmpty();
  }

  /** Makes the handshakes, {@code inFlight} at a time; completes when all are over or at the timeout. */
  private Future<Void> drive(int port) {
    String host = connectHost(config.host());
    URI uri = URI.create((config.tlsCertFile() != null ? "wss://" : "ws://") + uriHost(host) + ":" + port + config.path());
    SslContext tls = config.tlsCertFile() == null ? null : trustingClientContext();
    WebSocketClientProtocolConfig protocol = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .customHeaders(headers())
        .maxFramePayloadLength(config.maxFrameBytes())
        .forceCloseTimeoutMillis(1000)
        .build();
    client = new Bootstrap()
        .channelFactory(VertxInternals.clientChannelFactory(vertx))
        .option(ChannelOption.TCP_NODELAY, true)
        .remoteAddress(host, port)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
            }
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                new WebSocketClientProtocolHandler(protocol), new WarmupConnection());
          }
        });
    String source = sourceFor(host);
    if (source != null) {
      client.localAddress(source, 0);
    }
    int inFlight = Math.min(settings.connections(), loops.size() * IN_FLIGHT_PER_LOOP);
    if (config.maxConnectionsPerAddress() > 0) {
      inFlight = Math.min(inFlight, config.maxConnectionsPerAddress()); // every warm-up socket is from one address
    }
    long timer = vertx.setTimer(settings.timeout().toMillis(), t -> stop());
    for (int i = 0; i < inFlight; i++) {
      launchNext();
    }
    return done.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void launchNext() {
    if (stopping) {
      return;
    }
    int n = started.getAndIncrement();
    if (n >= settings.connections()) {
      return;
    }
    client.clone(loops.get(n % loops.size())).connect().addListener(f -> {
      Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
      if (!f.isSuccess()) {
        fail(f.cause());
      } else {
        open.add(ch);
      }
      ch.closeFuture().addListener(c -> {
        open.remove(ch);
        if (finished.incrementAndGet() >= settings.connections()) {
          context.runOnContext(v -> done.tryComplete());
        } else {
          launchNext();
        }
      });
    });
  }

  /** The timeout: no new handshakes, the open ones are cut, and the node starts. */
  private void stop() {
    if (done.future().isComplete()) {
      return;
    }
    stopping = true;
    for (Channel ch : open) {
      ch.close();
    }
    done.tryComplete();
  }

  private void fail(Throwable cause) {
    failed.incrementAndGet();
    firstFailure.compareAndSet(null, cause);
  }

  private Result result(long startNanos) {
    return new Result(settings.connections(), upgraded.get(), echoed.get(), failed.get(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), stopping);
  }

  private void log(Result r) {
    String what = String.format("warm-up: %d of %d loopback handshakes upgraded, %d echoes, in %d ms%s", r.upgraded(),
        r.connections(), r.echoed(), r.millis(), r.timedOut() ? " (stopped at its timeout of "
            + settings.timeout().toMillis() + " ms)" : "");
    Throwable first = firstFailure.get();
    if (first != null) {
      LOG.warning(what + "; " + r.failed() + " failed, the first with " + first);
    } else {
      LOG.info(what);
    }
  }

  /** The headers a real client of this node would send: an allowed Origin, a token when one is required. */
  private HttpHeaders headers() {
    HttpHeaders h = new DefaultHttpHeaders();
    if (!config.allowedOrigins().isEmpty()) {
      h.set(HttpHeaderNames.ORIGIN, config.allowedOrigins().get(0));
    }
    if (config.tokenSecret() != null) {
      long exp = System.currentTimeMillis() / 1000 + settings.timeout().toSeconds() + 60;
      JsonObject claims = new JsonObject().put("sub", "holdfast-warmup").put("exp", exp);
      if (config.tokenAudience() != null) {
        claims.put("aud", config.tokenAudience());
      }
      String token = new HandshakeToken(config.tokenSecret().getBytes(StandardCharsets.UTF_8), config.tokenAudience())
          .issue(claims);
      h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
    }
    return h;
  }

  /** Trusts any certificate: it only ever talks to this process's own throwaway port, on loopback. */
  private static SslContext trustingClientContext() {
    try {
      return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    } catch (SSLException e) {
      throw new IllegalStateException("no TLS client context for the warm-up", e);
    }
  }

  /** The source address for connections to {@code host}: {@link #CLIENT_SOURCE} for 127.0.0.1 on Linux, else null (the OS's choice). */
  static String sourceFor(String host) {
    boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    return linux && host.equals("127.0.0.1") ? CLIENT_SOURCE : null;
  }

  /** Where to reach a port bound on {@code bindHost}: loopback for a wildcard bind. */
  static String connectHost(String bindHost) {
    return switch (bindHost) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "[::]" -> "::1";
      default -> bindHost;
    };
  }

  private static String uriHost(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** One warm-up connection: after the upgrade, each message waits for its echo; then a 1000 close. */
  private final class WarmupConnection extends SimpleChannelInboundHandler<WebSocketFrame> {

    private int sent;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        upgraded.incrementAndGet();
        sendNext(ctx);
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame text && text.text().equals(MESSAGE)) {
        echoed.incrementAndGet();
        sendNext(ctx);
      }
    }

    private void sendNext(ChannelHandlerContext ctx) {
      if (sent++ < settings.messages()) {
        ctx.writeAndFlush(new TextWebSocketFrame(MESSAGE));
      } else {
        ctx.writeAndFlush(new CloseWebSocketFrame(1000, "warm-up done"));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(cause);
      ctx.close();
    }
  }
}
