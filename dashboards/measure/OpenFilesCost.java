import com.sun.management.UnixOperatingSystemMXBean;
import java.io.FileInputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * What one scrape of holdfast_process_open_files costs with many descriptors open: opens N
 * descriptors (default 19,000, under this machine's 20,000 limit), then times the JDK's count of
 * /proc/self/fd (a listing: OpenFileLimit.openByListing()), the size of /proc/self/fd (one stat: the
 * count itself on Linux 6.2+, what OpenFileLimit.open() uses there) and the read of /proc/self/statm.
 * Run: java dashboards/measure/OpenFilesCost.java [N]
 */
public class OpenFilesCost {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 19_000;
    UnixOperatingSystemMXBean os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<FileInputStream> held = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      held.add(new FileInputStream("/dev/null"));
    }
    long count = 0;
    for (int i = 0; i < 50; i++) {
      count = os.getOpenFileDescriptorCount(); // warm-up
    }
    int rounds = 200;
    long t0 = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      count = os.getOpenFileDescriptorCount();
    }
    double fdMicros = (System.nanoTime() - t0) / 1e3 / rounds;
    long t1 = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("/proc/self/statm"))) {
        in.readAllBytes();
      }
    }
    double statmMicros = (System.nanoTime() - t1) / 1e3 / rounds;
    java.nio.file.Path fd = java.nio.file.Path.of("/proc/self/fd");
    long bySize = 0;
    long t2 = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      bySize = java.nio.file.Files.size(fd);
    }
    double sizeMicros = (System.nanoTime() - t2) / 1e3 / rounds;
    System.out.printf("open files %d: counting /proc/self/fd took %.0f us per call; its size (%d%s) %.1f us;"
        + " reading /proc/self/statm %.1f us (%d rounds)%n", count, fdMicros, bySize,
        bySize > 0 ? "" : ": this kernel does not report it", sizeMicros, statmMicros, rounds);
    for (FileInputStream f : held) {
      f.close();
    }
  }
}
