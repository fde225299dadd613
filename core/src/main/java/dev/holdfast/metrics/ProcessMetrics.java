package dev.holdfast.metrics;

import dev.holdfast.os.OpenFileLimit;
import dev.holdfast.os.ProcFiles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The process's resident memory and open files, as the kernel counts them:
 * {@code holdfast_process_resident_memory_bytes}, {@code holdfast_process_open_files} and
 * {@code holdfast_process_open_files_max}. Beside the held-connection gauges they give memory per
 * held connection and how close a process is to its open-file limit. -1 where there is no
 * {@code /proc} (not Linux).
 *
 * <p>Resident memory is read when Prometheus scrapes (one small file). Open files are counted by a
 * daemon thread instead, every {@link #OPEN_FILES_MIN_INTERVAL_MS} or 100 times as long as the last
 * count took, whichever is longer, so the count never takes more than 1% of a core and never runs
 * on an event loop; the gauge serves the last count. On Linux 6.2+ a count is one stat of
 * {@code /proc/self/fd} (4 µs at 19,000 descriptors); older kernels only offer the listing of that
 * directory, 8 to 43 ms at 19,000 ({@link OpenFileLimit#open()}).
 */
public final class ProcessMetrics {

  /** Linux reports resident pages in {@code /proc/self/statm}; pages are 4 KiB on the platforms holdfast runs on. */
  static final long PAGE_BYTES = 4096;
  static final String RESIDENT_MEMORY = "holdfast.process.resident.memory";
  static final long OPEN_FILES_MIN_INTERVAL_MS = 2000;
  private static final Path STATM = Path.of("/proc/self/statm");
  private static volatile long openFiles = -1;
  private static ScheduledExecutorService counter;

  private ProcessMetrics() {
  }

  /** Registers the three gauges; the first call in a process starts the open-file counter. */
  public static void register(MeterRegistry registry) {
    startCounting();
    Gauge.builder(RESIDENT_MEMORY, ProcessMetrics::residentBytes)
        .baseUnit("bytes")
        .description("Resident set size of this process (/proc/self/statm)")
        .register(registry);
    Gauge.builder("holdfast.process.open.files", () -> openFiles)
        .description("File descriptors this process holds open (entries of /proc/self/fd, counted every few seconds): each socket is one")
        .register(registry);
    long max = OpenFileLimit.max();
    Gauge.builder("holdfast.process.open.files.max", () -> max)
        .description("This process's open-file limit (RLIMIT_NOFILE)")
        .register(registry);
  }

  /** Resident bytes: the second field of {@code /proc/self/statm}, in pages. */
  public static long residentBytes() {
    Optional<long[]> statm = ProcFiles.numbers(STATM);
    return statm.filter(n -> n.length > 1).map(n -> n[1] * PAGE_BYTES).orElse(-1L);
  }

  /** The last count of open files, or -1 before the first. */
  public static long openFiles() {
    return openFiles;
  }

  private static synchronized void startCounting() {
    if (counter != null) {
      return;
    }
    counter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "holdfast-open-files");
      t.setDaemon(true);
      return t;
    });
    counter.execute(ProcessMetrics::countOpenFiles);
  }

  private static void countOpenFiles() {
    long t0 = System.nanoTime();
    openFiles = OpenFileLimit.open();
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    counter.schedule(ProcessMetrics::countOpenFiles, Math.max(OPEN_FILES_MIN_INTERVAL_MS, 100 * tookMs),
        TimeUnit.MILLISECONDS);
  }
}
