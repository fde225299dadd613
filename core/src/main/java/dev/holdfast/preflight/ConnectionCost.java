package dev.holdfast.preflight;

/**
 * What one held connection costs, as measured for this project on Linux with Java 17 and G1 (the
 * process figures in README "Benchmarks", the kernel's in {@code ops/README.md}). Preflight sizes
 * memory, heap and {@code tcp_mem} from these.
 */
public final class ConnectionCost {

  private static final double KIB = 1024;

  /**
   * Live heap per connection of a node: 1.65 KiB (README "Benchmarks", {@code bench/lean-node.sh},
   * 15,000 connections, {@code jcmd GC.class_histogram} after a full GC).
   */
  public static final double NODE_HEAP_BYTES = 1.65 * KIB;
  /** RSS growth per connection of a node, heap pages included: 3.71 KiB (same run). */
  public static final double NODE_RSS_BYTES = 3.71 * KIB;
  /**
   * A simulator connection: 3.10 KiB of RSS and live heap growth ({@code bench/simulator-capacity.sh},
   * 18,500 connections); the heap share is not split out, so preflight sizes the heap as the whole.
   */
  public static final double SIMULATOR_RSS_BYTES = 3.10 * KIB;
  /** See {@link #SIMULATOR_RSS_BYTES}. */
  public static final double SIMULATOR_HEAP_BYTES = 3.10 * KIB;
  /**
   * Kernel memory per idle established socket, outside the process's RSS: the growth of
   * {@code Slab} in {@code /proc/meminfo} while 10,000 idle loopback pairs were held, 3.8 to 4.5 KiB
   * per socket over three runs ({@code ops/measure/kernel-socket-memory.py}: socket, inode, dentry,
   * file); the largest is used.
   * Their {@code /proc/net/sockstat} TCP {@code mem} grew by 0 pages: an idle socket with nothing
   * queued takes nothing from {@code tcp_mem}.
   */
  public static final double KERNEL_BYTES = 4.5 * KIB;
  /**
   * Pages of {@code tcp_mem} a socket takes once anything is queued on it: the kernel charges
   * socket memory in whole pages ({@code SK_MEM_QUANTUM}, one page), so every socket with a message
   * in flight takes at least one.
   */
  public static final long TCP_MEM_PAGES_BUSY = 1;
  /** JVM, code, threads, the cluster member and the admin port before any connection: about 256 MiB. */
  public static final long PROCESS_BASE_BYTES = 256L << 20;

  private ConnectionCost() {
  }
}
