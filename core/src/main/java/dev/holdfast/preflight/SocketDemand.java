package dev.holdfast.preflight;

/**
 * What {@code holdfast preflight} checks this machine for: one process of a role holding this many
 * connections, from this many source addresses (simulator).
 *
 * @param role the role of the process
 * @param connections the sockets it must hold
 * @param sourceAddresses the local addresses a simulator connects from (each has its own ephemeral ports)
 * @param openFileReserve open files the process keeps for other things than its sockets (its
 *     config's {@code openFileReserve})
 */
public record SocketDemand(Role role, long connections, int sourceAddresses, int openFileReserve) {

  /** The process's role: what each connection costs differs, and only a client uses ephemeral ports. */
  public enum Role {
    /** An echo node: holds accepted sockets. */
    NODE(ConnectionCost.NODE_HEAP_BYTES, ConnectionCost.NODE_RSS_BYTES),
    /** A simulator node: opens client sockets. */
    SIMULATOR(ConnectionCost.SIMULATOR_HEAP_BYTES, ConnectionCost.SIMULATOR_RSS_BYTES);

    private final double heapBytes;
    private final double rssBytes;

    Role(double heapBytes, double rssBytes) {
      this.heapBytes = heapBytes;
      this.rssBytes = rssBytes;
    }

    /** Live Java heap per held connection, in bytes (measured: see {@link ConnectionCost}). */
    public double heapBytes() {
      return heapBytes;
    }

    /** Process RSS growth per held connection, heap pages included, in bytes. */
    public double rssBytes() {
      return rssBytes;
    }

    /** The name on the command line and in the metrics. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Open files the process needs: a descriptor per socket plus the role's reserve. */
  public long openFilesNeeded() {
    return connections + openFileReserve;
  }
}
