package dev.holdfast.os;

import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A child process for {@link KernelSocketsTest}: holds one TCP connection from {@code bindHost:bindPort}
 * to {@code host:port}, says "connected", and keeps it until its standard input closes.
 */
public final class OtherProcessSocket {

  private OtherProcessSocket() {
  }

  public static void main(String[] args) throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(args[0], Integer.parseInt(args[1])));
      s.connect(new InetSocketAddress(args[2], Integer.parseInt(args[3])), 10_000);
      System.out.println("connected");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold until the parent closes our stdin (or dies)
      }
    }
  }
}
