package dev.holdfast.os;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntPredicate;

/**
 * Counts TCP sockets as the Linux kernel sees them, from {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}: the independent witness against which holdfast checks its own counts.
 *
 * <p>Both files list every socket of the network namespace, one line each:
 * {@code sl local_address rem_address st ...}, addresses as hex {@code ADDR:PORT} and the state as
 * a hex number ({@code 01} = ESTABLISHED). Reading them walks the kernel's socket tables, so call
 * this off the event loops, at most every second or so.
 */
public final class ProcNetTcp {

  /** The kernel's number for TCP_ESTABLISHED. */
  public static final int ESTABLISHED = 0x01;

  private static final Path[] TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};

  private ProcNetTcp() {
  }

  /** True where the kernel's tables can be read (Linux). */
  public static boolean available() {
    return Files.isReadable(TABLES[0]);
  }

  /**
   * Counts ESTABLISHED sockets whose local port matches {@code localPort} and remote port matches
   * {@code remotePort}, over IPv4 and IPv6; -1 where the tables cannot be read.
   */
  public static long countEstablished(IntPredicate localPort, IntPredicate remotePort) {
    if (!available()) {
      return -1;
    }
    long n = 0;
    for (Path table : TABLES) {
      if (!Files.isReadable(table)) {
        continue;
      }
      try (BufferedReader in = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
        n += countEstablished(in, localPort, remotePort);
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + table, e);
      }
    }
    return n;
  }

  /** The server side: ESTABLISHED sockets whose local port is {@code port}. */
  public static long countEstablishedOnLocalPort(int port) {
    return countEstablished(p -> p == port, p -> true);
  }

  /** Counts the matching ESTABLISHED lines of one table, header line included in {@code in}. */
  static long countEstablished(BufferedReader in, IntPredicate localPort, IntPredicate remotePort)
      throws IOException {
    long n = 0;
    String line = in.readLine(); // header
    while ((line = in.readLine()) != null) {
      // fields: sl, local_address, rem_address, st; found by scanning, without splitting the line
      int i = skipSpaces(line, 0);
      i = skipToken(line, i);              // sl
      int local = skipSpaces(line, i);
      int localEnd = skipToken(line, local);
      int remote = skipSpaces(line, localEnd);
      int remoteEnd = skipToken(line, remote);
      int st = skipSpaces(line, remoteEnd);
      if (st + 2 > line.length()) {
        continue;
      }
      if (hex(line, st, st + 2) != ESTABLISHED) {
        continue;
      }
      int lp = hex(line, line.lastIndexOf(':', localEnd) + 1, localEnd);
      int rp = hex(line, line.lastIndexOf(':', remoteEnd) + 1, remoteEnd);
      if (localPort.test(lp) && remotePort.test(rp)) {
        n++;
      }
    }
    return n;
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static int skipToken(String s, int i) {
    while (i < s.length() && s.charAt(i) != ' ') {
      i++;
    }
    return i;
  }

  private static int hex(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      v = (v << 4) | Character.digit(s.charAt(i), 16);
    }
    return v;
  }
}
