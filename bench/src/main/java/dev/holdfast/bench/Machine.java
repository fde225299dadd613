package dev.holdfast.bench;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine a report was measured on: CPU, cores, memory, kernel, open-file limit and each JVM's version. */
final class Machine {

  private Machine() {
  }

  static JsonObject describe(List<Path> javas) {
    JsonObject versions = new JsonObject();
    for (Path j : javas) {
      if (Files.isExecutable(j)) {
        versions.put(j.toString(), run(j.toString(), "-version").trim());
      }
    }
    String free = run("free", "-g").trim();
    String total = free.lines().filter(l -> l.startsWith("Mem:")).findFirst()
        .map(l -> l.trim().split("\\s+")[1] + " GiB RAM").orElse("?");
    return new JsonObject()
        .put("cpu", cpuModel())
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("nproc", run("nproc").trim())
        .put("memory", total)
        .put("free", free)
        .put("kernel", read("/proc/sys/kernel/osrelease"))
        .put("openFileLimit", ProcStats.openFileLimit())
        .put("ephemeralPorts", read("/proc/sys/net/ipv4/ip_local_port_range").replaceAll("\\s+", "-"))
        .put("java", versions);
  }

  /** Path, size, modification time and SHA-256 prefix of a jar, so a report names exactly what ran. */
  static String fileIdentity(Path file) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
      return String.format("%s (%,d bytes, modified %s, sha256 %s)", file, Files.size(file),
          Files.getLastModifiedTime(file).toString().replaceAll("\\.\\d+Z$", "Z"),
          java.util.HexFormat.of().formatHex(digest, 0, 6));
    } catch (Exception e) {
      return file + " (unreadable: " + e.getMessage() + ")";
    }
  }

  private static String cpuModel() {
    try {
      return ProcStats.read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
    } catch (Exception e) {
      return "?";
    }
  }

  private static String read(String file) {
    try {
      return ProcStats.read(file).trim();
    } catch (Exception e) {
      return "?";
    }
  }

  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    } catch (Exception e) {
      return "?";
    }
  }
}
