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
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 *
 * <p>With {@code --churn} the hold has no fixed length: the echoes run (for {@code --hold} at most)
 * while the harness sends steps, {@code step RATE SETTLE_MS STEADY_MS}: for the step's length the
 * driver closes RATE random open connections a second, a steady stream, and reopens each once it
 * has closed (same index, so the same echo phase; at most {@code --in-flight} handshakes at a time).
 * It reports {@code @steady} when the settle part is over and {@code @step} at the end, with what it
 * saw over the steady part: reconnects, echoes, echo and handshake latency, errors. RATE 0 is an
 * echo-only step. {@code end} ends the churn phase: the reopens under way finish, {@code @held}
 * reports, and {@code close} closes every connection as in the plain mode.
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
  private final boolean churn;
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
    churn = f.bool("churn", false, "after connecting, run the harness's churn steps (step RATE SETTLE_MS STEADY_MS) "
        + "until close, echoing meanwhile for --hold at most");
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
    LoadDriver d = new LoadDriver(Flags.parse("drive", args, Set.of("auto", "tls", "churn")));
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
    if (churn) {
      return churnPhase(conns, stats, schedule, connected);
    }
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
    return finish(stats, connected, held, closeCommanded);
  }

  /** Writes the results JSON and reports {@code done}; 0 when the harness ended the run, 3 when it was aborted. */
  private int finish(DriverStats stats, JsonObject connected, JsonObject held, boolean closeCommanded) throws IOException {
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

  /** A connection the churn closed, to reopen once an in-flight slot is free; from {@code closedNanos}, the wait counts. */
  private record Reopen(int index, long closedNanos) {
  }

  /**
   * The churn phase: runs the harness's steps while every connection echoes, then finishes the
   * reopens under way (so every connection ends with a close handshake), closes all and reports.
   */
  private int churnPhase(List<DriverConnection> opened, DriverStats stats, EchoSchedule schedule, JsonObject connected)
      throws Exception {
    long start = System.nanoTime();
    DriverConnection[] slots = new DriverConnection[connections];
    opened.forEach(c -> slots[c.index()] = c);
    Queue<Reopen> reopens = new ConcurrentLinkedQueue<>();
    Semaphore reopenSlots = new Semaphore(inFlight);
    SplittableRandom random = new SplittableRandom(14);
    boolean ended = false;
    for (String cmd; (cmd = nextCommand()) != null; ) {
      if (cmd.equals("end")) {
        ended = true;
        break;
      }
      String[] w = cmd.split("\\s+");
      if (w.length != 4 || !w[0].equals("step")) {
        System.out.println("drive: unknown command '" + cmd + "'; closing and stopping");
        break;
      }
      if (System.nanoTime() >= schedule.endNanos()) {
        System.out.println("drive: the echoes ended after --hold " + hold.toSeconds() + " s; closing and stopping");
        break;
      }
      event("step", step(Double.parseDouble(w[1]), Long.parseLong(w[2]), Long.parseLong(w[3]), slots, reopens,
          reopenSlots, random, stats, schedule));
    }
    stats.sendingEnded = true; // no new messages, so sent and received can meet and missing echoes show
    long deadline = System.nanoTime() + connectTimeout.toNanos() * 2;
    while ((!reopens.isEmpty() || reopenSlots.availablePermits() < inFlight) && System.nanoTime() < deadline) {
      reopen(reopens, slots, reopenSlots, stats, schedule);
      Thread.sleep(10);
    }
    waitFor(() -> stats.received.sum() >= stats.sent.sum(), Duration.ofSeconds(2));
    long missing = stats.sent.sum() - stats.received.sum();
    for (long i = 0; i < missing; i++) {
      stats.error("echo missing");
    }
    JsonObject held = new JsonObject()
        .put("open", stats.open.get())
        .put("seconds", (System.nanoTime() - start) / 1e9)
        .put("sent", stats.sent.sum())
        .put("received", stats.received.sum())
        .put("waitingToReopen", reopens.size())
        .put("errors", stats.errorsJson());
    event("held", held);
    boolean closeCommanded = ended && command("close");
    closeAll(Arrays.stream(slots).filter(Objects::nonNull).toList(), stats);
    return finish(stats, connected, held, closeCommanded);
  }

  /**
   * One churn step: for {@code settleMs + steadyMs} closes {@code rate} random open connections a
   * second (spread evenly: due closes are counted from the step's start every few ms) and reopens
   * each once closed; reports {@code @steady} when the settle part ends and returns what happened
   * over the steady part.
   */
  private JsonObject step(double rate, long settleMs, long steadyMs, DriverConnection[] slots, Queue<Reopen> reopens,
      Semaphore reopenSlots, SplittableRandom random, DriverStats stats, EchoSchedule schedule)
      throws InterruptedException {
    long t0 = System.nanoTime();
    long steadyAt = t0 + settleMs * 1_000_000L;
    long end = steadyAt + steadyMs * 1_000_000L;
    long closes = 0;
    long closesAtSteady = 0;
    long steadyStart = 0;
    long[] before = null;
    long lastProgress = t0;
    while (true) {
      long now = System.nanoTime();
      if (before == null && now >= steadyAt) {
        // the settle part is not counted: histograms and counters start here
        stats.echoMicros.getIntervalHistogram();
        stats.handshakeMicros.getIntervalHistogram();
        before = counters(stats);
        closesAtSteady = closes;
        steadyStart = now;
        event("steady", new JsonObject().put("rate", rate));
      }
      if (now >= end) {
        break;
      }
      long due = (long) (rate * (now - t0) / 1e9);
      closes += closeSome(slots, due - closes, reopens, random);
      reopen(reopens, slots, reopenSlots, stats, schedule);
      if (now - lastProgress >= 5_000_000_000L) {
        lastProgress = now;
        System.out.printf("churn %,.0f/s, %.0f s: closed %,d, open %,d, waiting to reopen %,d, echoes %,d sent %,d back,"
                + " errors %,d%n", rate, (now - t0) / 1e9, closes, stats.open.get(), reopens.size(), stats.sent.sum(),
            stats.received.sum(), stats.errorCount());
      }
      Thread.sleep(2);
    }
    long steadyNanos = System.nanoTime() - steadyStart;
    Histogram echo = stats.echoMicros.getIntervalHistogram();
    Histogram handshakes = stats.handshakeMicros.getIntervalHistogram();
    long[] after = counters(stats);
    return new JsonObject()
        .put("rate", rate)
        .put("settleSeconds", settleMs / 1000.0)
        .put("steadySeconds", steadyNanos / 1e9)
        .put("closes", closes - closesAtSteady)
        .put("reconnects", after[0] - before[0])
        .put("failed", after[1] - before[1])
        .put("sent", after[2] - before[2])
        .put("echoes", after[3] - before[3])
        .put("errors", after[4] - before[4])
        .put("open", stats.open.get())
        .put("waitingToReopen", reopens.size())
        .put("echoLatency", DriverStats.percentiles(echo))
        .put("handshakeLatency", DriverStats.percentiles(handshakes))
        .put("errorKinds", stats.errorsJson());
  }

  /** Opened, failed, sent, received, errors: the counters a step reports the growth of. */
  private static long[] counters(DriverStats stats) {
    return new long[] {stats.opened.sum(), stats.failed.sum(), stats.sent.sum(), stats.received.sum(),
        stats.errorCount()};
  }

  /** Starts the close of up to {@code n} random open connections not yet picked; returns how many. */
  private int closeSome(DriverConnection[] slots, long n, Queue<Reopen> reopens, SplittableRandom random) {
    int done = 0;
    // a bounded number of tries: when most connections are closing or reopening, the rest waits for the next tick
    for (long tries = 0; done < n && tries < 4 * n + 16; tries++) {
      DriverConnection c = slots[random.nextInt(slots.length)];
      if (c == null || c.picked || c.state() != DriverConnection.State.OPEN) {
        continue;
      }
      c.picked = true;
      c.closeThen(() -> reopens.add(new Reopen(c.index(), System.nanoTime())), connectTimeout.toMillis());
      done++;
    }
    return done;
  }

  /** Reopens closed connections while in-flight slots are free; each sends on the schedule once open. */
  private void reopen(Queue<Reopen> reopens, DriverConnection[] slots, Semaphore reopenSlots, DriverStats stats,
      EchoSchedule schedule) {
    for (Reopen r; (r = reopens.peek()) != null && reopenSlots.tryAcquire(); ) {
      reopens.poll();
      slots[r.index()] = connect(r.index(), stats, reopenSlots, NOTHING, r.closedNanos(), schedule);
    }
  }

  private static final Runnable NOTHING = () -> {
  };

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
      all.add(connect(firstIndex + i, stats, slots, settled::countDown, System.nanoTime(), null));
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

  /**
   * Starts one connection with an in-flight slot already taken (the connection releases it when
   * its handshake settles); {@code startOnOpen}: the schedule it sends on once open, or null.
   */
  private DriverConnection connect(int index, DriverStats stats, Semaphore slots, Runnable onSettled, long wantedNanos,
      EchoSchedule startOnOpen) {
    var handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false,
        new DefaultHttpHeaders(), 65_536);
    DriverConnection conn = new DriverConnection(index, messageBytes, handshaker, stats, slots, onSettled,
        connectTimeout.toMillis(), startOnOpen);
    conn.connecting(wantedNanos);
    ChannelFuture f = bootstrap.clone()
        .localAddress(sources.get(index % sources.size()))
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
    return conn;
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

  /** The next command from the harness, or null on end of input or timeout. */
  private String nextCommand() throws InterruptedException {
    event("waiting", new JsonObject().put("for", "step or end"));
    String got = commands.poll(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    return got == null || got.equals("end of input") ? null : got;
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
