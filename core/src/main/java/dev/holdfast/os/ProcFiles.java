package dev.holdfast.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

  /**
   * A stream over the file, for tables too big to hold whole ({@code /proc/net/tcp} of a busy host is
   * megabytes): read it to the end in one pass, the kernel formats it as it is read.
   */
  public static InputStream open(Path file) throws IOException {
    return Files.newInputStream(file);
  }

  /** The file's lines, or empty when it does not exist or cannot be read. */
  public static Optional<List<String>> lines(Path file) {
    return readIfPresent(file).map(s -> s.lines().toList());
  }

  /**
   * The inodes of the sockets among a process's open files ({@code /proc/PID/fd}, each a link
   * {@code socket:[INODE]}), sorted; empty when the folder cannot be read. Costs a readlink per open file.
   */
  public static Optional<long[]> socketInodes(Path fdFolder) {
    long[] inodes = new long[256];
    int n = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdFolder)) {
      for (Path fd : fds) {
        String link;
        try {
          link = Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          continue;
        }
        if (link.startsWith("socket:[") && link.endsWith("]")) {
          try {
            long inode = Long.parseLong(link, 8, link.length() - 1, 10);
            if (n == inodes.length) {
              inodes = Arrays.copyOf(inodes, n * 2);
            }
            inodes[n++] = inode;
          } catch (NumberFormatException notAnInode) {
            // some other kind of socket link
          }
        }
      }
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
    long[] sorted = Arrays.copyOf(inodes, n);
    Arrays.sort(sorted);
    return Optional.of(sorted);
  }

  /**
   * The numbers of a process's open file descriptors ({@code /proc/PID/fd}'s entries), without
   * reading their links; empty when the folder cannot be read.
   */
  public static Optional<int[]> descriptors(Path fdFolder) {
    int[] fds = new int[256];
    int n = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(fdFolder)) {
      for (Path fd : entries) {
        String name = fd.getFileName().toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
          if (n == fds.length) {
            fds = Arrays.copyOf(fds, n * 2);
          }
          fds[n++] = Integer.parseInt(name);
        }
      }
    } catch (IOException | SecurityException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOf(fds, n));
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
