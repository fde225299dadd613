package dev.holdfast.vertx;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The only place in holdfast that calls Vert.x internal APIs.
 *
 * <p>The lean WebSocket paths (the echo node's server pipeline and the simulator's client) run Netty
 * handlers directly on a verticle's own Vert.x event loop, with the transport (epoll, io_uring or NIO)
 * Vert.x chose. That needs a few internal calls; they are collected here so that a Vert.x upgrade that
 * changes them breaks one class, and {@code VertxInternalsTest} says so loudly.
 */
public final class VertxInternals {

  private VertxInternals() {}

  /** The Netty event loop a verticle's context runs on. */
  public static EventLoop eventLoop(Context context) {
    return ((ContextInternal) context).nettyEventLoop();
  }

  /** A Netty factory for server channels of the transport this Vert.x instance uses. */
  public static ChannelFactory<? extends ServerChannel> serverChannelFactory(Vertx vertx) {
    return ((VertxInternal) vertx).transport().serverChannelFactory(false);
  }

  /** A Netty factory for client (TCP) channels of the transport this Vert.x instance uses. */
  public static ChannelFactory<? extends Channel> clientChannelFactory(Vertx vertx) {
    return ((VertxInternal) vertx).transport().channelFactory(false);
  }

  /**
   * A new event-loop context on a loop none of {@code busy} runs on, or empty when every loop is busy.
   * Vert.x hands out loops to contexts in turn, so work that must not compete with the verticles (a
   * simulator node's own ticks) asks for a spare loop by name.
   */
  public static Optional<Context> contextOnSpareLoop(Vertx vertx, Collection<EventLoop> busy) {
    VertxInternal internal = (VertxInternal) vertx;
    for (EventExecutor e : internal.nettyEventLoopGroup()) {
      if (e instanceof EventLoop loop && !busy.contains(loop)) {
        return Optional.of(internal.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
            .withEventLoop(loop).build());
      }
    }
    return Optional.empty();
  }

  /** A new event-loop context on whichever loop Vert.x hands out next. */
  public static Context newEventLoopContext(Vertx vertx) {
    return ((VertxInternal) vertx).createEventLoopContext();
  }

  /** The event loops of this Vert.x instance's event-loop group. */
  public static List<EventLoop> eventLoops(Vertx vertx) {
    List<EventLoop> loops = new ArrayList<>();
    for (EventExecutor e : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      if (e instanceof EventLoop loop) {
        loops.add(loop);
      }
    }
    return loops;
  }

  /** The number of event loops in this Vert.x instance's event-loop group. */
  public static int eventLoopCount(Vertx vertx) {
    int n = 0;
    for (EventExecutor ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      n++;
    }
    return n;
  }
}
