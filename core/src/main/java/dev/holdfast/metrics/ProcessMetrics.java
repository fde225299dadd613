package dev.holdfast.metrics;

import dev.holdfast.os.OpenFileLimit;
import dev.holdfast.os.ProcFiles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The process's resident memory and open files, as the kernel counts them, read when Prometheus
 * scrapes: {@code holdfast_process_resident_memory_bytes}, {@code holdfast_process_open_files} and
 * {@code holdfast_process_open_files_max}. Beside the held-connection gauges they give memory per
 * held connection and how close a process is to its open-file limit. -1 where there is no
 * {@code /proc} (not Linux).
 */
public final class ProcessMetrics {

  /** Linux reports resident pages in {@code /proc/self/statm}; pages are 4 KiB on the platforms holdfast runs on. */
  static final long PAGE_BYTES = 4096;
  static final String RESIDENT_MEMORY = "holdfast.process.resident.memory";
  private static final Path STATM = Path.of("/proc/self/statm");

  private ProcessMetrics() {
  }

  /** Registers the three gauges. */
  public static void register(MeterRegistry registry) {
    Gauge.builder(RESIDENT_MEMORY, ProcessMetrics::residentBytes)
        .baseUnit("bytes")
        .description("Resident set size of this process (/proc/self/statm)")
        .register(registry);
    Gauge.builder("holdfast.process.open.files", OpenFileLimit::open)
        // the JDK counts the entries of /proc/self/fd; cost measured in the README, "Observability"
        .description("File descriptors this process holds open (entries of /proc/self/fd): each socket is one")
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
}
