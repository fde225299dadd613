package dev.holdfast.bench;

import java.util.Set;

/**
 * A bounded CPU burner, a process of its own: N threads spin for at most S seconds, then it
 * exits. The churn benchmark starts one beside a server to measure "cold while the machine is
 * busy" (a node restarting into a reconnect storm on a loaded host) and ends it by PID.
 */
public final class CpuBurner {

  private CpuBurner() {
  }

  public static void main(String[] args) throws InterruptedException {
    Flags f = Flags.parse("burn", args, Set.of());
    int threads = f.integer("threads", 1, "spinning threads");
    int seconds = f.integer("seconds", 60, "how long at most (1..600)");
    f.finish();
    if (threads < 1 || threads > 64 || seconds < 1 || seconds > 600) {
      throw new IllegalArgumentException("burn: --threads " + threads + " --seconds " + seconds
          + " is not allowed; use 1..64 threads for 1..600 seconds");
    }
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    Thread[] spinning = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      spinning[i] = new Thread(() -> {
        long x = 1;
        while (System.nanoTime() < end) {
          for (int k = 0; k < 100_000; k++) {
            x = x * 6364136223846793005L + 1442695040888963407L; // work the JIT cannot drop: the result is printed
          }
        }
        if (x == 42) {
          System.out.println(x);
        }
      }, "burn-" + i);
      spinning[i].start();
    }
    System.out.printf("burn: %d threads for %d s at most%n", threads, seconds);
    for (Thread t : spinning) {
      t.join();
    }
  }
}
