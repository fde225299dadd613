package dev.holdfast.role;

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

  private final String role;
  private final String nodeId;
  private int eventLoops = DEFAULT_EVENT_LOOPS;
  private int openFileReserve = DEFAULT_OPEN_FILE_RESERVE;

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
}
