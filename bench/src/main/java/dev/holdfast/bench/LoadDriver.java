package dev.holdfast.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * The load driver, a process of its own: opens C WebSockets over several 127.x source addresses
 * with a bounded number of handshakes in flight, then has each send a message every interval
 * (phases spread) for a bounded hold, then closes them all and writes its results as JSON.
 *
 * <p>Phases: warm-up (a few connections opened, echoed once, closed, so the server's JIT and pools
 * are warm before its baseline is measured), connect (optionally pausing part way), hold, close.
 * Under the harness it waits on stdin for {@code go} before connecting, {@code more} at the pause,
 * {@code hold} before the echoes start and {@code close} before closing, so the harness can measure
 * the server between phases; it reports each phase as a line {@code @event {json}}.
 * With {@code --tls} it speaks {@code wss://}. With {@code --auto} it does not wait. Every wait is bounded and end of input aborts the run.
 */
public final class LoadDriver {

  private final String host;
  private final int port;
  private final String path;
  private final int connections;
  private final List<InetSocketAddress> sources = new ArrayList<>();
  private final int inFlight;
  private final Duration interval;
  private final Duration hold;
  private final int messageBytes;
  private final int warmup;
  private final int pauseAt;
  private final Duration connectTimeout;
  private final Duration maxWait;
  private final boolean auto;
  private final Path out;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final URI uri;
  /** The TLS client context with {@code --tls}, else null. */
  private final SslContext tls;
  private final BlockingQueue<String> commands = new LinkedBlockingQueue<>();

  private LoadDriver(Flags f) throws Exception {
    host = f.string("host", "127.0.0.1", "server host");
    port = f.integer("port", 21001, "server port");
    path = f.string("path", "/ws", "WebSocket path");
    connections = f.integer("connections", 15_000, "connections to open and hold");
    int firstSource = f.integer("first-source", 2, "last octet of the first source address 127.0.0.x");
    int sourceCount = f.integer("sources", 4, "source addresses 127.0.0.<first>.. (about 28,000 ports each)");
    inFlight = f.integer("in-flight", 128, "handshakes in flight at most");
    interval = f.duration("interval", "5s", "each connection sends one message per interval");
    hold = f.duration("hold", "60s", "how long all connections are held and echo");
    messageBytes = f.integer("message-bytes", 32, "text message size in bytes (at least 24)");
    warmup = f.integer("warmup", 1000, "connections opened, echoed once and closed before the load");
    pauseAt = f.integer("pause-at", 0, "after this many connections, report and wait for 'more' (0: no pause)");
    int threads = f.integer("threads", 2, "event loop threads of the driver");
    connectTimeout = f.duration("connect-timeout", "10s", "connect and handshake timeout, each");
    maxWait = f.duration("max-wait", "10m", "longest wait for a command from the harness");
    auto = f.bool("auto", false, "do not wait for go/close on stdin");
    out = Path.of(f.string("out", "driver-result.json", "where the results JSON is written"));
    boolean secure = f.bool("tls", false, "connect with wss:// (any certificate trusted: a benchmark on loopback)");
    f.finish();
    tls = secure ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
        .endpointIdentificationAlgorithm(null).build() : null;
    if (messageBytes < 24 || messageBytes > 65_536) {
      throw new IllegalArgumentException("drive: --message-bytes " + messageBytes + " is not allowed; use 24..65536");
    }
    for (int i = 0; i < sourceCount; i++) {
      sources.add(new InetSocketAddress("127.0.0." + (firstSource + i), 0));
    }
    group = NettyTransport.group(threads);
    bootstrap = new Bootstrap()
        .group(group)
        .channel(NettyTransport.socketChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .option(ChannelOption.TCP_NODELAY, true);
    uri = new URI((tls == null ? "ws://" : "wss://") + host + ":" + port + path);
  }

  public static void main(String[] args) throws Exception {
    LoadDriver d = new LoadDriver(Flags.parse("drive", args, Set.of("auto", "tls")));
    int code;
    try {
      code = d.run();
    } finally {
      d.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
    System.exit(code);
  }

  private int run() throws Exception {
    readCommands();
    event("start", new JsonObject().put("url", uri.toString()).put("connections", connections)
        .put("sources", sources.size()).put("transport", NettyTransport.name()));

    if (warmup > 0) {
      DriverStats ws = new DriverStats();
      List<DriverConnection> w = open(0, Math.min(warmup, connections), ws, "warm-up");
      long start = System.nanoTime();
      long second = Duration.ofSeconds(1).toNanos();
      EchoSchedule once = new EchoSchedule(start, second, start + second, w.size()); // one echo each, spread over 1 s
      w.forEach(c -> c.start(once));
      waitFor(() -> ws.received.sum() >= w.size(), Duration.ofSeconds(5));
      closeAll(w, ws);
      event("warmed", new JsonObject().put("opened", ws.opened.sum()).put("echoed", ws.received.sum())
          .put("errors", ws.errorsJson()));
    }
    if (!command("go")) {
      return 3;
    }

    DriverStats stats = new DriverStats();
    List<DriverConnection> conns = new ArrayList<>(connections);
    int first = pauseAt > 0 && pauseAt < connections ? pauseAt : connections;
    long t0 = System.nanoTime();
    conns.addAll(open(0, first, stats, "connect"));
    double connectSeconds = (System.nanoTime() - t0) / 1e9;
    if (first < connections) {
      // a pause half way lets the harness tell the marginal cost of a connection from one-time growth
      event("paused", new JsonObject().put("opened", stats.opened.sum()).put("failed", stats.failed.sum()));
      if (!command("more")) {
        closeAll(conns, stats);
        return 3;
      }
      long t1 = System.nanoTime();
      conns.addAll(open(first, connections - first, stats, "connect"));
      connectSeconds += (System.nanoTime() - t1) / 1e9;
    }
    Histogram hs = stats.handshakeMicros.getIntervalHistogram();
    JsonObject connected = new JsonObject()
        .put("opened", stats.opened.sum())
        .put("failed", stats.failed.sum())
        .put("seconds", connectSeconds)
        .put("handshakesPerSecond", stats.opened.sum() / connectSeconds)
        .put("handshakeLatency", DriverStats.percentiles(hs))
        .put("errors", stats.errorsJson());
    event("connected", connected);
    if (!command("hold")) {
      closeAll(conns, stats);
      return 3;
    }

    long holdStart = System.nanoTime();
    EchoSchedule schedule = new EchoSchedule(holdStart, interval.toNanos(), holdStart + hold.toNanos(), connections);
    stats.recording = true;
    conns.forEach(c -> c.start(schedule));
    long lastProgress = System.nanoTime();
    while (System.nanoTime() < schedule.endNanos()) {
      Thread.sleep(Math.min(200, Math.max(1, (schedule.endNanos() - System.nanoTime()) / 1_000_000)));
      if (System.nanoTime() - lastProgress >= 5_000_000_000L) {
        lastProgress = System.nanoTime();
        System.out.printf("hold %d/%d s: open %,d, echoes %,d sent %,d back, errors %,d%n",
            (lastProgress - holdStart) / 1_000_000_000L, hold.toSeconds(), stats.open.get(), stats.sent.sum(),
            stats.received.sum(), stats.errorCount());
      }
    }
    double holdSeconds = (System.nanoTime() - holdStart) / 1e9;
    // the last messages went out just before the end; give their echoes a moment
    waitFor(() -> stats.received.sum() >= stats.sent.sum(), Duration.ofSeconds(2));
    stats.recording = false;
    long missing = stats.sent.sum() - stats.received.sum();
    for (long i = 0; i < missing; i++) {
      stats.error("echo missing");
    }
    Histogram echo = stats.echoMicros.getIntervalHistogram();
    JsonObject held = new JsonObject()
        .put("open", stats.open.get())
        .put("seconds", holdSeconds)
        .put("sent", stats.sent.sum())
        .put("received", stats.received.sum())
        .put("echoLatency", DriverStats.percentiles(echo))
        .put("errors", stats.errorsJson());
    event("held", held);
    boolean closeCommanded = command("close");

    closeAll(conns, stats);
    JsonObject result = new JsonObject()
        .put("url", uri.toString())
        .put("connections", connections)
        .put("sources", new JsonArray(sources.stream().map(a -> a.getAddress().getHostAddress()).toList()))
        .put("inFlight", inFlight)
        .put("intervalSeconds", interval.toMillis() / 1000.0)
        .put("holdSeconds", hold.toMillis() / 1000.0)
        .put("messageBytes", messageBytes)
        .put("transport", NettyTransport.name())
        .put("connected", connected)
        .put("held", held)
        .put("errors", stats.errorsJson())
        .put("errorCount", stats.errorCount());
    Files.writeString(out, result.encodePrettily());
    event("done", result);
    return closeCommanded ? 0 : 3;
  }

  /**
   * Opens {@code n} connections numbered from {@code firstIndex}, at most {@link #inFlight}
   * handshakes at a time, round-robin over the source addresses, and returns those that opened once
   * every attempt has settled.
   */
  private List<DriverConnection> open(int firstIndex, int n, DriverStats stats, String phase)
      throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    CountDownLatch settled = new CountDownLatch(n);
    List<DriverConnection> all = new ArrayList<>(n);
    long start = System.nanoTime();
    long lastProgress = start;
    long openedBefore = stats.opened.sum();
    int total = firstIndex + n;
    for (int i = 0; i < n; i++) {
      while (!slots.tryAcquire(1, TimeUnit.SECONDS)) {
        lastProgress = progress(phase, total, stats, openedBefore, start, lastProgress);
      }
      var handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false,
          new DefaultHttpHeaders(), 65_536);
      DriverConnection conn = new DriverConnection(firstIndex + i, messageBytes, handshaker, stats, slots, settled,
          connectTimeout.toMillis());
      all.add(conn);
      conn.connecting();
      ChannelFuture f = bootstrap.clone()
          .localAddress(sources.get((firstIndex + i) % sources.size()))
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              if (tls != null) {
                ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
              }
              ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192), conn);
            }
          })
          .connect(host, port);
      f.addListener(done -> {
        if (!done.isSuccess()) {
          conn.connectFailed(done.cause());
        }
      });
      if (System.nanoTime() - lastProgress >= 2_000_000_000L) {
        lastProgress = progress(phase, total, stats, openedBefore, start, lastProgress);
      }
    }
    // the connect timeout and the handshake timeout bound every attempt; this bound is a backstop
    long deadline = System.nanoTime() + connectTimeout.toNanos() * 2 + 5_000_000_000L;
    while (!settled.await(2, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
      lastProgress = progress(phase, total, stats, openedBefore, start, lastProgress);
    }
    progress(phase, total, stats, openedBefore, start, 0);
    return all.stream().filter(c -> c.state() == DriverConnection.State.OPEN).toList();
  }

  private static long progress(String phase, int total, DriverStats stats, long openedBefore, long start, long last) {
    long now = System.nanoTime();
    if (now - last < 1_000_000_000L) {
      return last;
    }
    double s = (now - start) / 1e9;
    long opened = stats.opened.sum();
    System.out.printf("%s %,d/%,d open, %,d failed, %.1f s, %,.0f handshakes/s%n", phase, opened, total,
        stats.failed.sum(), s, (opened - openedBefore) / s);
    return now;
  }

  /** Closes every open connection with 1000 and waits for the server to end them; cuts off the rest. */
  private void closeAll(List<DriverConnection> conns, DriverStats stats) throws InterruptedException {
    conns.forEach(DriverConnection::close);
    if (!waitFor(() -> stats.open.get() == 0, Duration.ofSeconds(30))) {
      for (DriverConnection c : conns) {
        if (c.state() != DriverConnection.State.CLOSED) {
          stats.error("close handshake timeout");
          c.abort();
        }
      }
    }
  }

  private static boolean waitFor(BooleanSupplier done, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** Waits for this command from the harness; false on end of input or timeout (then the run is aborted). */
  private boolean command(String expected) throws InterruptedException {
    if (auto) {
      return true;
    }
    event("waiting", new JsonObject().put("for", expected));
    String got = commands.poll(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    if (expected.equals(got)) {
      return true;
    }
    System.out.println("drive: expected '" + expected + "' on stdin, got " + (got == null ? "nothing in " + maxWait : got)
        + "; closing and stopping");
    return false;
  }

  private void readCommands() {
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          commands.add(line.trim());
        }
      } catch (Exception e) {
        // end of input is handled below
      }
      commands.add("end of input");
    }, "driver-commands");
    t.setDaemon(true);
    t.start();
  }

  private static void event(String name, JsonObject body) {
    System.out.println("@" + name + " " + body.encode());
    System.out.flush();
  }
}
