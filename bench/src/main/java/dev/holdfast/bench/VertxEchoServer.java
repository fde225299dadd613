package dev.holdfast.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stock Vert.x baseline: {@code createHttpServer().webSocketHandler(ws -> echo)} in N verticle
 * instances on N event loops, native transport preferred. WebSocket compression is switched off
 * (Vert.x offers it by default) so it is compared with the holdfast node, which has it off by
 * default. Accepts WebSockets on any path. Runs until SIGTERM.
 */
public final class VertxEchoServer {

  private VertxEchoServer() {
  }

  public static void main(String[] args) throws Exception {
    Flags f = Flags.parse("vertx-echo", args, Set.of());
    String host = f.string("host", "127.0.0.1", "host to bind");
    int port = f.integer("port", 21002, "WebSocket port");
    int threads = f.integer("threads", Runtime.getRuntime().availableProcessors(), "event loops = verticle instances");
    f.finish();

    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventLoopPoolSize(threads).setPreferNativeTransport(true))
        .build();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    vertx.deployVerticle(() -> new EchoVerticle(options), new DeploymentOptions().setInstances(threads))
        .await(60, TimeUnit.SECONDS);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("vertx-echo: close: " + e);
      }
      stopped.countDown();
    }, "vertx-echo-stop"));
    System.out.printf("vertx-echo ready: ws://%s:%d/ws, %d verticle instances, %s transport%n", host, port, threads,
        vertx.isNativeTransportEnabled() ? "native (epoll)" : "NIO");
    stopped.await();
  }

  /** One echo server instance; instances share the port and Vert.x spreads connections over them. */
  private static final class EchoVerticle extends VerticleBase {
    private final HttpServerOptions options;

    EchoVerticle(HttpServerOptions options) {
      this.options = options;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(options)
          .webSocketHandler(ws -> {
            ws.textMessageHandler(ws::writeTextMessage);
            ws.binaryMessageHandler(ws::writeBinaryMessage);
          })
          .listen();
    }
  }
}
