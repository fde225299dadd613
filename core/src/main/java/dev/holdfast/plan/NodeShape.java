package dev.holdfast.plan;

import java.util.List;
import java.util.Locale;

/**
 * A machine a node or simulator runs on, one process per machine: cores, memory and the open-file
 * limit it is given.
 *
 * @param name how the plan names it
 * @param cores vCPUs
 * @param memoryBytes RAM
 * @param openFiles the process's open-file limit ({@code LimitNOFILE})
 */
public record NodeShape(String name, int cores, long memoryBytes, long openFiles) {

  private static final long GIB = 1L << 30;
  /** The open-file limit {@code ops/limits.d/90-holdfast.conf} and the systemd units give. */
  public static final long OPS_OPEN_FILES = 4_194_304;

  /** 16 vCPU, 64 GiB: a common general-purpose cloud machine. */
  public static final NodeShape MEDIUM = new NodeShape("16 vCPU / 64 GiB", 16, 64 * GIB, OPS_OPEN_FILES);
  /** 64 vCPU, 256 GiB: a common large general-purpose cloud machine. */
  public static final NodeShape LARGE = new NodeShape("64 vCPU / 256 GiB", 64, 256 * GIB, OPS_OPEN_FILES);

  /** The presets by the names {@code --shape} takes. */
  public static final List<String> PRESETS = List.of("16x64", "64x256");

  /** A preset by name ({@code 16x64}, {@code 64x256}), or null. */
  public static NodeShape preset(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "16x64" -> MEDIUM;
      case "64x256" -> LARGE;
      default -> null;
    };
  }

  /** This shape with any of the overrides that are not null. */
  public NodeShape with(Integer cores, Double memoryGiB, Long openFiles) {
    if (cores == null && memoryGiB == null && openFiles == null) {
      return this;
    }
    int c = cores == null ? this.cores : cores;
    long m = memoryGiB == null ? memoryBytes : Math.round(memoryGiB * GIB);
    long f = openFiles == null ? this.openFiles : openFiles;
    return new NodeShape(c + " vCPU / " + formatGiB(m) + " GiB", c, m, f);
  }

  private static String formatGiB(long bytes) {
    double g = bytes / (double) GIB;
    return g == Math.rint(g) ? Long.toString((long) g) : String.format(Locale.ROOT, "%.1f", g);
  }
}
