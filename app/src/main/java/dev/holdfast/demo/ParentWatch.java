package dev.holdfast.demo;

import java.util.Optional;

/**
 * Makes a demo's child exit when the demo is gone (killed with SIGKILL, say, so that it could not
 * stop its children): the demo passes its PID as {@code -Dholdfast.parentPid}, and a daemon thread
 * of the child checks once a second that it is still alive. The child then exits as on SIGTERM
 * (its shutdown hooks drain or report).
 */
public final class ParentWatch {

  /** The system property carrying the demo's PID. */
  public static final String PROPERTY = "holdfast.parentPid";

  private ParentWatch() {
  }

  /** Starts the watch if this process was started by a demo; otherwise does nothing. */
  public static void startIfAsked() {
    String pid = System.getProperty(PROPERTY);
    if (pid == null) {
      return;
    }
    Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid));
    Thread watch = new Thread(() -> {
      while (parent.map(ProcessHandle::isAlive).orElse(false)) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
      System.err.println("holdfast: the demo that started this process (pid " + pid + ") is gone; stopping");
      System.exit(1);
    }, "holdfast-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }
}
