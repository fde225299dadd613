package dev.holdfast.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads files under {@code /proc} and {@code /sys} whole. Every such read in holdfast goes through here:
 * {@code Files.readString} trusts the size the file reports (0 or 4096 for most of /proc) and returned one
 * byte of {@code /proc/sys/net/ipv4/ip_local_port_range} on Java 17; a plain stream read to the end is exact.
 */
public final class ProcFiles {

  private ProcFiles() {}

  /** The whole file as ASCII text. */
  public static String read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  /** The whole file, or empty when it does not exist or cannot be read (not Linux, no permission). */
  public static Optional<String> readIfPresent(Path file) {
    try {
      return Optional.of(read(file));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** The whitespace-separated numbers of a one-line file such as {@code /proc/sys/net/ipv4/tcp_mem}, or empty. */
  public static Optional<long[]> numbers(Path file) {
    return readIfPresent(file).map(String::trim).filter(s -> !s.isEmpty()).flatMap(s -> {
      String[] parts = s.split("\\s+");
      long[] n = new long[parts.length];
      try {
        for (int i = 0; i < parts.length; i++) {
          n[i] = Long.parseLong(parts[i]);
        }
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      return Optional.of(n);
    });
  }
}
