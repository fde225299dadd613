package dev.holdfast.role;

import dev.holdfast.config.ConfigException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;

/**
 * What {@link RoleBootstrap} needs to start one holdfast process, whatever its role: the role and
 * node id its metrics carry, how many event loops its Vert.x gets, and how many open files it keeps
 * back from its socket budget. Plain data with documented defaults; the role's own config fills it.
 */
public final class RoleOptions {

  /** Event loops by default: one per core, as each role runs one verticle instance per loop. */
  public static final int DEFAULT_EVENT_LOOPS = Runtime.getRuntime().availableProcessors();
  /** Open files kept back for the JVM's own files, the cluster's sockets and the admin port. */
  public static final int DEFAULT_OPEN_FILE_RESERVE = 1000;
  /**
   * Vert.x worker threads ({@code executeBlocking} of user code; Vert.x's default is 20). No holdfast
   * role runs blocking code on them, and the pool grows a thread per task until it is full, so a
   * small pool keeps idle threads off a node. System property {@value #WORKER_POOL_PROPERTY} overrides it.
   */
  public static final int DEFAULT_WORKER_POOL_SIZE = 2;
  /**
   * Vert.x internal blocking threads (the cluster manager's Hazelcast calls; Vert.x's default is
   * 20): a node makes a few such calls a second at most. System property
   * {@value #INTERNAL_BLOCKING_POOL_PROPERTY} overrides it.
   */
  public static final int DEFAULT_INTERNAL_BLOCKING_POOL_SIZE = 4;
  /** The system property that sets {@link #workerPoolSize()}. */
  public static final String WORKER_POOL_PROPERTY = "holdfast.workerPoolSize";
  /** The system property that sets {@link #internalBlockingPoolSize()}. */
  public static final String INTERNAL_BLOCKING_POOL_PROPERTY = "holdfast.internalBlockingPoolSize";

  private final String role;
  private final String nodeId;
  private int eventLoops = DEFAULT_EVENT_LOOPS;
  private int openFileReserve = DEFAULT_OPEN_FILE_RESERVE;
  private int workerPoolSize = poolSize(WORKER_POOL_PROPERTY, DEFAULT_WORKER_POOL_SIZE);
  private int internalBlockingPoolSize = poolSize(INTERNAL_BLOCKING_POOL_PROPERTY, DEFAULT_INTERNAL_BLOCKING_POOL_SIZE);

  /**
   * @param role the {@code role} label on every metric and the {@code --role} of {@code holdfast preflight}:
   *     {@code node} or {@code simulator}
   * @param nodeId the {@code node} label on every metric
   */
  public RoleOptions(String role, String nodeId) {
    this.role = role;
    this.nodeId = nodeId;
  }

  /** {@code hostname-pid}, then {@code -suffix} when one is given: unique per process on a host. */
  public static String defaultNodeId(String suffix) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "holdfast"; // no resolvable host name: the pid still tells processes apart on this host
    }
    String id = host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    return suffix == null || suffix.isEmpty() ? id : id + "-" + suffix;
  }

  public String role() {
    return role;
  }

  public String nodeId() {
    return nodeId;
  }

  /** Event loops of the process's Vert.x; default {@link #DEFAULT_EVENT_LOOPS}. */
  public int eventLoops() {
    return eventLoops;
  }

  public RoleOptions eventLoops(int eventLoops) {
    this.eventLoops = eventLoops;
    return this;
  }

  /** Open files not counted as sockets; default {@link #DEFAULT_OPEN_FILE_RESERVE}. */
  public int openFileReserve() {
    return openFileReserve;
  }

  public RoleOptions openFileReserve(int openFileReserve) {
    this.openFileReserve = openFileReserve;
    return this;
  }

  /** Vert.x worker pool threads; default {@link #DEFAULT_WORKER_POOL_SIZE}, or the system property's. */
  public int workerPoolSize() {
    return workerPoolSize;
  }

  public RoleOptions workerPoolSize(int workerPoolSize) {
    this.workerPoolSize = workerPoolSize;
    return this;
  }

  /** Vert.x internal blocking pool threads; default {@link #DEFAULT_INTERNAL_BLOCKING_POOL_SIZE}, or the system property's. */
  public int internalBlockingPoolSize() {
    return internalBlockingPoolSize;
  }

  public RoleOptions internalBlockingPoolSize(int internalBlockingPoolSize) {
    this.internalBlockingPoolSize = internalBlockingPoolSize;
    return this;
  }

  /** {@code -Dname=N} when given (1 to 1024, else a config error naming the property), else {@code def}. */
  static int poolSize(String name, int def) {
    String value = System.getProperty(name);
    if (value == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= 1024) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the fix
    }
    throw new ConfigException("-D" + name, "\"" + value + "\" is not allowed; use a whole number from 1 to 1024");
  }
}
