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
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The plain-Netty baseline: the classic WebSocket echo pipeline of Netty's own example
 * (HTTP codec, aggregator, {@link WebSocketServerProtocolHandler} on {@code /ws}, a frame echo
 * handler), on one event loop group of N threads that both accepts and serves. No compression,
 * as in the holdfast node's default. Runs until SIGTERM.
 */
public final class NettyEchoServer {

  private NettyEchoServer() {
  }

  public static void main(String[] args) throws Exception {
    Flags f = Flags.parse("netty-echo", args, Set.of());
    String host = f.string("host", "127.0.0.1", "host to bind");
    int port = f.integer("port", 21001, "WebSocket port");
    int threads = f.integer("threads", Runtime.getRuntime().availableProcessors(), "event loop threads");
    f.finish();

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
    System.out.printf("netty-echo ready: ws://%s:%d/ws, %d event loops, %s transport%n", host, port, threads,
        NettyTransport.name());
    stopped.await();
  }
}
