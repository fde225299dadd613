package dev.holdfast.role;

import dev.holdfast.config.ConfigException;
import dev.holdfast.os.OpenFileLimit;

/**
 * How many sockets a process may hold: every socket is a file descriptor, so its open-file limit
 * less a reserve for its other files. Both roles check what they are asked to hold against it
 * before they open anything, with one wording that points at {@code holdfast preflight}.
 *
 * @param role {@code node} or {@code simulator}, for the preflight command the message suggests
 * @param openFiles the process's open-file limit, or -1 where the OS does not say
 * @param reserve descriptors kept for the JVM, the cluster and the admin port
 */
public record OpenFileBudget(String role, long openFiles, long reserve) {

  /** This process's budget. */
  public static OpenFileBudget ofThisProcess(String role, long reserve) {
    return new OpenFileBudget(role, OpenFileLimit.max(), reserve);
  }

  /** Sockets this budget allows ({@link Long#MAX_VALUE} where the OS gives no limit). */
  public long socketsAllowed() {
    return OpenFileLimit.socketsAllowed(openFiles, reserve);
  }

  /** The command that prints the exact fix for holding {@code connections} sockets on this machine. */
  public String preflightCommand(long connections) {
    return "holdfast preflight --connections " + connections + " --role " + role;
  }

  /**
   * Fails unless {@code wanted} sockets fit.
   *
   * @param jsonPath the config field that asked for them
   * @param claim how the message starts, naming what asked: {@code "50000 is"}, or
   *     {@code "1000 gives this simulator node a share of 800 connections,"}
   * @param alternative what else the user may do, after "or": {@code "lower --max-connections"}
   * @throws ConfigException naming the limit, the reserve, what they leave and the fix
   */
  public void require(long wanted, String jsonPath, String claim, String alternative) {
    long allowed = socketsAllowed();
    if (wanted > allowed) {
      throw new ConfigException(jsonPath, claim + " more than this process can hold: its open-file limit is "
          + openFiles + ", less a reserve of " + reserve + " leaves " + allowed + " sockets. Raise the limit (`"
          + preflightCommand(wanted) + "` prints the exact fix) or " + alternative);
    }
  }
}
