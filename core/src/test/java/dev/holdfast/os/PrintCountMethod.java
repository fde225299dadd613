package dev.holdfast.os;

/**
 * A child process for {@link KernelSocketsTest}: prints how this process's reader counts its own
 * sockets and how it reads the kernel's tables, so a test can start it with system properties set.
 */
public final class PrintCountMethod {

  private PrintCountMethod() {
  }

  public static void main(String[] args) {
    KernelSockets sockets = KernelSockets.system();
    System.out.println(sockets.method(SocketFilter.localPorts(1).ownedByThisProcess()) + " " + sockets.method()
        + " " + sockets.count(SocketFilter.localPorts(1).ownedByThisProcess()));
  }
}
