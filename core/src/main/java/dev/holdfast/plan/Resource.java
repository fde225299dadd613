package dev.holdfast.plan;

/** What can cap the connections one process holds. */
public enum Resource {
  /** RAM: the process's memory per connection plus the kernel's per socket. */
  MEMORY("memory"),
  /** CPU: handshakes from churn and messages, per connection per second. */
  CPU("CPU"),
  /** The open-file limit: one file descriptor per socket. */
  OPEN_FILES("open files"),
  /** Ephemeral ports: a client socket bound to a source address takes one of its ports. */
  EPHEMERAL_PORTS("ephemeral ports");

  private final String label;

  Resource(String label) {
    this.label = label;
  }

  /** How the plan prints it. */
  public String label() {
    return label;
  }
}
