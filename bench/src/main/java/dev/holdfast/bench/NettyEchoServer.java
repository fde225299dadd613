package dev.holdfast.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The plain-Netty baseline: the classic WebSocket echo pipeline of Netty's own example
 * (HTTP codec, aggregator, {@link WebSocketServerProtocolHandler} on {@code /ws}, a frame echo
 * handler), on one event loop group of N threads that both accepts and serves. No compression,
 * as in the holdfast node's default; {@code wss://} with {@code --tls-cert} and {@code --tls-key}
 * (TLS first in the pipeline, OpenSSL when netty-tcnative is present, as the node chooses). Runs until SIGTERM.
 */
public final class NettyEchoServer {

  private NettyEchoServer() {
  }

  public static void main(String[] args) throws Exception {
    Flags f = Flags.parse("netty-echo", args, Set.of());
    String host = f.string("host", "127.0.0.1", "host to bind");
    int port = f.integer("port", 21001, "WebSocket port");
    int threads = f.integer("threads", Runtime.getRuntime().availableProcessors(), "event loop threads");
    String tlsCert = f.string("tls-cert", "", "PEM certificate chain: serve wss:// (with --tls-key)");
    String tlsKey = f.string("tls-key", "", "PEM (PKCS#8) key of --tls-cert");
    f.finish();
    // the node's choice of engine, so the TLS rows compare the same thing
    SslContext tls = tlsCert.isEmpty() ? null : SslContextBuilder.forServer(new File(tlsCert), new File(tlsKey))
        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK).build();

    EventLoopGroup group = NettyTransport.group(threads);
    FrameEchoHandler echo = new FrameEchoHandler();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NettyTransport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(
                new HttpServerCodec(),
                new HttpObjectAggregator(65536),
                new WebSocketServerProtocolHandler("/ws"),
                echo);
          }
        });
    Channel server = bootstrap.bind(host, port).sync().channel();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close().syncUninterruptibly();
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
      stopped.countDown();
    }, "netty-echo-stop"));
    System.out.printf("netty-echo ready: %s://%s:%d/ws, %d event loops, %s transport%s%n", tls == null ? "ws" : "wss",
        host, port, threads, NettyTransport.name(), tls == null ? "" : ", TLS " + (OpenSsl.isAvailable() ? "openssl" : "jdk"));
    stopped.await();
  }
}
