package dev.holdfast.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fails loudly when a Vert.x upgrade changes what holdfast's lean paths rely on: one event loop per
 * verticle instance, channel factories of Vert.x's own transport, and a context on a chosen loop.
 */
class VertxInternalsTest {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3).setPreferNativeTransport(true));

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void instancesOfOneDeploymentRunOnDistinctEventLoops() throws Exception {
    List<EventLoop> loops = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        EventLoop loop = VertxInternals.eventLoop(context);
        assertThat(loop.inEventLoop()).as("start() runs on the context's own Netty loop").isTrue();
        loops.add(loop);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(3)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(loops).hasSize(3);
    assertThat(new HashSet<>(loops)).as("each instance on its own event loop").hasSize(3);
    assertThat(VertxInternals.eventLoopCount(vertx)).isEqualTo(3);
    assertThat(VertxInternals.eventLoops(vertx)).as("the group's loops are the instances' loops")
        .containsExactlyInAnyOrderElementsOf(loops);
  }

  @Test
  void channelFactoriesAreOfVertxsOwnTransport() {
    ServerChannel server = VertxInternals.serverChannelFactory(vertx).newChannel();
    Channel client = VertxInternals.clientChannelFactory(vertx).newChannel();
    try {
      String kind = vertx.isNativeTransportEnabled() ? "Epoll" : "Nio";
      assertThat(server.getClass().getSimpleName()).startsWith(kind).endsWith("ServerSocketChannel");
      assertThat(client.getClass().getSimpleName()).startsWith(kind).endsWith("SocketChannel");
    } finally {
      server.unsafe().closeForcibly();
      client.unsafe().closeForcibly();
    }
  }

  @Test
  void aSpareLoopContextAvoidsTheBusyLoops() throws Exception {
    Set<EventLoop> busy = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      busy.add(VertxInternals.eventLoop(VertxInternals.newEventLoopContext(vertx)));
    }
    var spare = VertxInternals.contextOnSpareLoop(vertx, busy);
    assertThat(spare).isPresent();
    EventLoop loop = VertxInternals.eventLoop(spare.get());
    assertThat(busy).doesNotContain(loop);
    // work run on that context really runs on that loop
    var ran = new java.util.concurrent.CompletableFuture<Boolean>();
    spare.get().runOnContext(v -> ran.complete(loop.inEventLoop()));
    assertThat(ran.get(5, TimeUnit.SECONDS)).isTrue();

    Set<EventLoop> all = new HashSet<>(busy);
    all.add(loop);
    assertThat(VertxInternals.contextOnSpareLoop(vertx, all)).as("no loop left").isEmpty();
  }
}
