package dev.holdfast.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Several hosts on one machine for process tests: a network namespace per host, each joined by a
 * veth pair to a bridge in a hub namespace, with addresses in 198.18.0.0/24 (the benchmarking range
 * of RFC 2544, inside namespaces only: the machine's own namespace gets no interface or route).
 * Names start with a prefix unique to the run; {@link #close} removes every namespace made, and
 * with them their links. Needs root, iproute2 and curl: see {@link #unavailableBecause}.
 */
final class NetnsHosts implements AutoCloseable {

  /** The hub's address on the bridge: where a simulator in the hub connects from. */
  static final String HUB_ADDRESS = "198.18.0.1";

  private final String prefix = "hf" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  private final List<String> made = new ArrayList<>();
  private final List<String> hosts = new ArrayList<>();

  /** Why namespaces cannot be made here, or null when they can (probed by making and removing one). */
  static String unavailableBecause() {
    try {
      String uid = run(List.of("id", "-u")).strip();
      if (!uid.equals("0")) {
        return "network namespaces need root (uid is " + uid + ")";
      }
      run(List.of("curl", "--version")); // the test reads the nodes' admin ports through it, inside each namespace
      String probe = "hfprobe" + ProcessHandle.current().pid();
      run(List.of("ip", "netns", "add", probe));
      run(List.of("ip", "netns", "del", probe));
      return null;
    } catch (IOException e) {
      return "cannot make network namespaces here: " + e.getMessage();
    }
  }

  /** Makes the hub and {@code count} hosts, host {@code i} (from 0) at 198.18.0.{11 + i}. */
  static NetnsHosts create(int count) throws IOException {
    NetnsHosts n = new NetnsHosts();
    try {
      n.makeHub();
      for (int i = 0; i < count; i++) {
        n.addHost(i);
      }
      return n;
    } catch (IOException | RuntimeException e) {
      n.close();
      throw e;
    }
  }

  private void makeHub() throws IOException {
    String hub = hub();
    addNamespace(hub);
    exec(hub, "ip", "link", "add", "br0", "type", "bridge");
    exec(hub, "ip", "addr", "add", HUB_ADDRESS + "/24", "dev", "br0");
    exec(hub, "ip", "link", "set", "br0", "up");
  }

  private void addHost(int i) throws IOException {
    String ns = prefix + "h" + i;
    addNamespace(ns);
    String hubEnd = ns + "p";
    // made in the hub, one end moved into the host and renamed eth0: nothing touches the machine's namespace
    exec(hub(), "ip", "link", "add", hubEnd, "type", "veth", "peer", "name", "eth0", "netns", ns);
    exec(hub(), "ip", "link", "set", hubEnd, "master", "br0");
    exec(hub(), "ip", "link", "set", hubEnd, "up");
    exec(ns, "ip", "addr", "add", address(i) + "/24", "dev", "eth0");
    exec(ns, "ip", "link", "set", "eth0", "up");
    hosts.add(ns);
  }

  private void addNamespace(String ns) throws IOException {
    run(List.of("ip", "netns", "add", ns));
    made.add(ns);
    exec(ns, "ip", "link", "set", "lo", "up");
  }

  String hub() {
    return prefix + "hub";
  }

  String host(int i) {
    return hosts.get(i);
  }

  static String address(int i) {
    return "198.18.0." + (11 + i);
  }

  /** The command prefix that runs a program inside namespace {@code ns}. */
  static List<String> inside(String ns) {
    return List.of("ip", "netns", "exec", ns);
  }

  /** Cuts host {@code i}'s only link, as a pulled cable: no packet in or out, no reset sent. */
  void cut(int i) throws IOException {
    exec(host(i), "ip", "link", "set", "eth0", "down");
  }

  /** Restores host {@code i}'s link (its address and subnet route come back with it). */
  void restore(int i) throws IOException {
    exec(host(i), "ip", "link", "set", "eth0", "up");
  }

  /** Runs a command inside {@code ns} and returns its output; a non-zero exit is an IOException. */
  static String exec(String ns, String... cmd) throws IOException {
    List<String> full = new ArrayList<>(inside(ns));
    full.addAll(List.of(cmd));
    return run(full);
  }

  /** GET of {@code url} from inside {@code ns} (the test's own JVM lives outside every namespace). */
  static String httpGet(String ns, String url) throws IOException {
    return exec(ns, "curl", "-sS", "--max-time", "5", url);
  }

  private static String run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": no answer in 30 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", cmd) + ": interrupted", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out.strip());
    }
    return out;
  }

  /** Removes every namespace this run made (their veths and the bridge go with them). */
  @Override
  public void close() {
    for (int i = made.size() - 1; i >= 0; i--) {
      try {
        run(List.of("ip", "netns", "del", made.get(i)));
      } catch (IOException e) {
        System.err.println("could not remove network namespace " + made.get(i) + ": " + e.getMessage());
      }
    }
    made.clear();
  }
}
