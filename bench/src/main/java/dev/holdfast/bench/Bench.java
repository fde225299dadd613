package dev.holdfast.bench;

import java.util.Arrays;

/**
 * The one main class of {@code holdfast-bench.jar}: picks a role by its first argument, so every
 * benchmark process (baseline servers, load driver, harness) starts as {@code java -jar}.
 */
public final class Bench {

  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    String role = args.length == 0 ? "help" : args[0];
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    try {
      run(role, rest);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage()); // a mistake in the flags: say which, without a stack trace
      System.exit(2);
    }
  }

  private static void run(String role, String[] rest) throws Exception {
    switch (role) {
      case "netty-echo" -> NettyEchoServer.main(rest);
      case "vertx-echo" -> VertxEchoServer.main(rest);
      case "drive" -> LoadDriver.main(rest);
      case "lean-node" -> LeanNodeBench.main(rest);
      case "churn" -> ChurnBench.main(rest);
      case "burn" -> CpuBurner.main(rest);
      case "cluster-view" -> ClusterViewBench.main(rest);
      case "cluster-view-member" -> ViewMember.main(rest);
      default -> {
        System.out.println("""
            usage: java -jar holdfast-bench.jar ROLE [flags]
              lean-node   the lean-node benchmark: runs each server in turn under the driver, writes the report
              churn       the sustained-churn benchmark: reconnect rate at an echo p99 bound, CPU per handshake and echo
              burn        a bounded CPU burner               (--threads N --seconds S)
              netty-echo  plain-Netty WebSocket echo baseline   (--port P --threads N)
              vertx-echo  stock Vert.x WebSocket echo baseline  (--port P --threads N)
              drive       the load driver                       (--port P --connections C ..., see --help)
              cluster-view  the cluster view at N simulated nodes across a few Hazelcast members (--n 10,100,300,1000)
            Run a role with --help for its flags.""");
        System.exit(role.equals("help") || role.equals("--help") ? 0 : 2);
      }
    }
  }
}
