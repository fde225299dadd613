package dev.holdfast.simulator.connection;

import dev.holdfast.simulator.target.Target;
import dev.holdfast.websocket.HandshakeLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;

/**
 * Opens client connections on one verticle's event loop: a channel from Vert.x's transport (epoll
 * when native), the handshake pipeline (TLS for {@code wss://}, HTTP codec, aggregator,
 * {@link HandshakeHandler}, with the token and origin of {@link ClientSecurity}), bound
 * to a source address when configured, connected to the target. No Bootstrap: the channel is
 * made, registered and connected directly, so that each one gets its own handshake handler.
 */
final class ClientConnector {

  private static final int HTTP_MAX_INITIAL_LINE = HandshakeLimits.MAX_INITIAL_LINE_BYTES;
  private static final int HTTP_MAX_HEADERS = HandshakeLimits.MAX_HEADER_BYTES;
  private static final int HANDSHAKE_MAX_BODY = HandshakeLimits.MAX_BODY_BYTES;
  private static final int MAX_FRAME_BYTES = 65_536 + 1024;

  private final EventLoop loop;
  private final ChannelFactory<? extends Channel> channels;
  private final boolean nativeTransport;
  private final InetSocketAddress[] sources;
  private final int instances;
  private final int index;
  private final ClientSecurity security;

  /**
   * @param sources local addresses to bind (port 0), spread over the seats of all {@code instances}
   *     verticles; empty to let the OS choose
   */
  ClientConnector(EventLoop loop, ChannelFactory<? extends Channel> channels, boolean nativeTransport,
      InetSocketAddress[] sources, int instances, int index, ClientSecurity security) {
    this.loop = loop;
    this.channels = channels;
    this.nativeTransport = nativeTransport;
    this.sources = sources;
    this.instances = instances;
    this.index = index;
    this.security = security;
  }

  /**
   * Starts connecting {@code c} to {@code target}; the handshake follows in {@link HandshakeHandler}.
   * Sets {@code c.channel} before anything can fail asynchronously, so every later callback can
   * tell whether it is about the connection's current channel.
   *
   * @param life is told on the event loop when the channel cannot be made, registered or connected
   */
  void connect(SimulatedConnection c, Target target, ConnectionLife life) {
    Channel ch;
    try {
      ch = channels.newChannel();
    } catch (Throwable e) { // EMFILE surfaces here, wrapped in a ChannelException
      life.connectFailed(c, null, e);
      return;
    }
    c.channel = ch;
    ch.config().setOption(ChannelOption.TCP_NODELAY, true);
    // the verticle's timing wheel times the connect out: no scheduled task per connection here
    ch.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0);
    if (nativeTransport && sources.length > 0) {
      // the source port is chosen at connect time, per destination: ports are not used up per address
      ch.config().setOption(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
    }
    WebSocketClientHandshaker handshaker = security.handshaker(c, target, MAX_FRAME_BYTES);
    SslHandler tls = security.tlsHandler(ch, target);
    if (tls != null) {
      ch.pipeline().addLast("tls", tls);
    }
    ch.pipeline().addLast("http", new HttpClientCodec(HTTP_MAX_INITIAL_LINE, HTTP_MAX_HEADERS, HANDSHAKE_MAX_BODY));
    ch.pipeline().addLast("aggregate", new HttpObjectAggregator(HANDSHAKE_MAX_BODY));
    ch.pipeline().addLast(HandshakeHandler.NAME, new HandshakeHandler(life, c, handshaker));
    InetSocketAddress source = sourceFor(c.seat);
    loop.register(ch).addListener((ChannelFutureListener) reg -> {
      if (!reg.isSuccess()) {
        life.connectFailed(c, ch, reg.cause());
        return;
      }
      ChannelFuture connect = source == null ? ch.connect(target.address()) : ch.connect(target.address(), source);
      connect.addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) {
          life.connectFailed(c, ch, f.cause());
        }
      });
    });
  }

  /** The source address of a seat: seats of all verticles, taken together, cycle through the list. */
  InetSocketAddress sourceFor(int seat) {
    if (sources.length == 0) {
      return null;
    }
    long global = (long) seat * instances + index;
    return sources[(int) (global % sources.length)];
  }
}
