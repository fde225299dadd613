package dev.holdfast.os;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one kernel socket count (a node's, a simulator's) on the process's one dedicated daemon
 * thread, {@value #THREAD_NAME}, with a deadline: off the event loops and off Vert.x's shared worker
 * pool, so a slow kernel read (seconds, on a host with hundreds of thousands of sockets and the
 * fallback reader) never blocks progress, admission or the cluster publish. A count not had within
 * its deadline is reported as missing ({@link #MISSING}) and counted in {@link #missed()}; the count
 * itself runs on to its end, its late result dropped.
 *
 * <p>Requests for a count that come while one is waiting to start share that one, so a slow count
 * never piles up work behind it; a request never joins a count already running, so each answer is
 * read after it was asked for.
 */
public final class KernelCounter implements AutoCloseable {

  /** What a count that missed its deadline or failed reports. */
  public static final long MISSING = -1;

  /** A deadline for counts read every few seconds: generous for the fallback on a busy host, short beside a hung read. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

  /** The name of the one thread that runs every kernel count of this process. */
  public static final String THREAD_NAME = "holdfast-kernel-count";

  private static final Logger LOG = Logger.getLogger(KernelCounter.class.getName());
  private static final ScheduledExecutorService THREAD = thread();

  private final LongSupplier job;
  private final Supplier<String> method;
  private final Duration deadline;
  private final LongAdder counts = new LongAdder();
  private final LongAdder missed = new LongAdder();
  private final LongAdder nanos = new LongAdder();
  private final LongAdder cpuNanos = new LongAdder();
  private volatile long last = MISSING;
  private volatile long lastNanos;
  private volatile long lastEndedNanos;  // System.nanoTime() when the count shown by last() ended or missed
  private volatile long lastEndedMillis = -1; // the same instant, wall clock; -1 before the first
  private CompletableFuture<Long> waiting; // guarded by this: queued, not yet started
  private ScheduledFuture<?> periodic;     // guarded by this

  /**
   * A counter of {@code job} (blocking, returns -1 where it cannot count), whose reader is named by
   * {@code method}, each count given {@code deadline}.
   */
  public KernelCounter(LongSupplier job, Supplier<String> method, Duration deadline) {
    this.job = job;
    this.method = method;
    this.deadline = deadline;
  }

  /** A counter of the sockets that pass {@code filter} (asked anew for each count), read by {@code sockets}. */
  public static KernelCounter of(KernelSockets sockets, Supplier<SocketFilter> filter, Duration deadline) {
    return new KernelCounter(() -> sockets.count(filter.get()), () -> sockets.method(filter.get()), deadline);
  }

  /**
   * A fresh count: completes with it, or with {@link #MISSING} once the deadline has passed. Its
   * dependent stages run on the counting thread or the deadline's timer thread: hop to your own
   * context (Vert.x: {@code Future.fromCompletionStage(f, context)}) before touching its state.
   */
  public synchronized CompletableFuture<Long> count() {
    if (waiting != null) {
      return waiting;
    }
    CompletableFuture<Long> answer = new CompletableFuture<>();
    AtomicInteger outcome = new AtomicInteger(); // 0 open, 1 counted, 2 missed
    waiting = answer;
    THREAD.execute(() -> run(answer, outcome));
    Executor timer = CompletableFuture.delayedExecutor(deadline.toNanos(), TimeUnit.NANOSECONDS, Runnable::run);
    timer.execute(() -> {
      if (outcome.compareAndSet(0, 2)) {
        miss(answer);
      }
    });
    return answer;
  }

  private void run(CompletableFuture<Long> answer, AtomicInteger outcome) {
    synchronized (this) {
      if (waiting == answer) {
        waiting = null;
      }
    }
    if (outcome.get() != 0) {
      return; // its deadline passed while it waited: a later request counts afresh
    }
    long start = System.nanoTime();
    long cpuStart = threadCpuNanos();
    long n;
    try {
      n = job.getAsLong();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "kernel socket count failed", e);
      n = MISSING;
    }
    long took = System.nanoTime() - start;
    long cpu = threadCpuNanos() - cpuStart;
    if (cpuStart >= 0 && cpu >= 0) {
      cpuNanos.add(cpu);
    }
    counts.increment();
    nanos.add(took);
    lastNanos = took;
    if (outcome.compareAndSet(0, 1)) {
      if (n < 0) {
        missed.increment();
      }
      last = n;
      stampLast();
      answer.complete(n);
    }
  }

  private void miss(CompletableFuture<Long> answer) {
    synchronized (this) {
      if (waiting == answer) {
        waiting = null; // the next request starts a fresh count rather than joining a missed one
      }
    }
    missed.increment();
    last = MISSING;
    stampLast();
    answer.complete(MISSING);
  }

  /** Counts every {@code interval} from now on (the first at once), until {@link #close()}. */
  public synchronized KernelCounter every(Duration interval) {
    if (periodic != null) {
      periodic.cancel(false);
    }
    periodic = THREAD.scheduleWithFixedDelay(this::count, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    return this;
  }

  /** Stops the periodic counts; a count under way ends as it would. */
  @Override
  public synchronized void close() {
    if (periodic != null) {
      periodic.cancel(false);
      periodic = null;
    }
  }

  /** The latest count, or {@link #MISSING} when the latest one missed its deadline or failed (or none ended yet). */
  public long last() {
    return last;
  }

  private void stampLast() {
    lastEndedNanos = System.nanoTime();
    lastEndedMillis = System.currentTimeMillis();
  }

  /** When the count {@link #last()} shows ended (or missed its deadline), in epoch ms; -1 before the first. */
  public long lastAtMillis() {
    return lastEndedMillis;
  }

  /**
   * How old the count {@link #last()} shows is, in ms (monotonic clock); -1 before the first. A reader
   * that shows {@code last()} instead of counting afresh shows this beside it.
   */
  public long lastAgeMillis() {
    return lastEndedMillis < 0 ? -1 : (System.nanoTime() - lastEndedNanos) / 1_000_000;
  }

  /** How the counts are read: {@code socket-fds}, {@code netlink} or {@code proc-net-tcp}. */
  public String method() {
    return method.get();
  }

  /** Counts that ran to their end, in time or late. */
  public long counts() {
    return counts.sum();
  }

  /** Counts that missed their deadline or could not be had. */
  public long missed() {
    return missed.sum();
  }

  /** Time the counts that ran took, in total, in seconds. */
  public double seconds() {
    return nanos.sum() / 1e9;
  }

  /**
   * CPU time (user + system) the count thread spent in counts, in seconds: on a busy machine the wall
   * time of {@link #seconds()} is mostly waiting for a core, this is what the counts cost.
   */
  public double cpuSeconds() {
    return cpuNanos.sum() / 1e9;
  }

  private static long threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
  }

  /** Time the latest count that ran took, in seconds. */
  public double lastSeconds() {
    return lastNanos / 1e9;
  }

  /** The deadline each count has. */
  public Duration deadline() {
    return deadline;
  }

  private static ScheduledExecutorService thread() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread thread = new Thread(r, THREAD_NAME);
      thread.setDaemon(true);
      // background work: where Java priorities reach the OS (-XX:ThreadPriorityPolicy=1, as a crowded
      // demo runs), the event loops go first
      thread.setPriority(Thread.MIN_PRIORITY);
      return thread;
    });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
