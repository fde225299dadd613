package dev.holdfast.node;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Echoes every text, binary and continuation frame unchanged, answers pings, completes close
 * handshakes, and counts each connection's end by its close code. One instance serves all the
 * connections of an echo verticle instance: an idle connection costs this handler nothing.
 *
 * <p>Per-connection state exists only while it is needed, as channel attributes: the byte count of
 * a fragmented message in progress, and the close code once a close has begun.
 */
@Sharable
final class EchoFrameHandler extends ChannelInboundHandlerAdapter {

  static final String NAME = "echo";

  /** The close code of a closing connection; absent while it is open. */
  private static final AttributeKey<Integer> CLOSE_CODE = AttributeKey.valueOf("holdfast.closeCode");
  /** Payload bytes so far of a fragmented message; absent between messages. */
  private static final AttributeKey<long[]> FRAGMENT_BYTES = AttributeKey.valueOf("holdfast.fragmentBytes");

  private static final int NO_STATUS = 1005;
  private static final int ABNORMAL = 1006;
  private static final int FIRST_UNDEFINED_CODE = 5000;
  /** How long a failed connection is drained after its close frame before it is cut. */
  static final long LINGER_MILLIS = 2000;

  private final int maxMessageBytes;
  private final ConnectionLedger ledger;
  private final HeldChannels held;
  private final Consumer<Channel> onClosed;
  private final ConnectionSweep sweep;
  private final long maxOutboundBytes;
  private final AddressCap addressCap;

  EchoFrameHandler(NodeConfig config, ConnectionLedger ledger, HeldChannels held, ConnectionSweep sweep,
      AddressCap addressCap, Consumer<Channel> onClosed) {
    this.maxMessageBytes = config.maxMessageBytes();
    this.maxOutboundBytes = config.maxOutboundBytes();
    this.sweep = sweep;
    this.addressCap = addressCap;
    this.ledger = ledger;
    this.held = held;
    this.onClosed = onClosed;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
        || msg instanceof ContinuationWebSocketFrame) {
      echo(ctx, (WebSocketFrame) msg);
    } else if (msg instanceof PingWebSocketFrame ping) {
      if (ctx.channel().hasAttr(CLOSE_CODE)) {
        ping.release();
        return;
      }
      ctx.write(new PongWebSocketFrame(ping.content()));
      holdBackIfUnread(ctx.channel());
    } else if (msg instanceof CloseWebSocketFrame close) {
      onCloseFrame(ctx, close);
    } else {
      ReferenceCountUtil.release(msg); // pongs and anything else
    }
  }

  private void echo(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (ctx.channel().hasAttr(CLOSE_CODE)) {
      frame.release(); // no data after a close frame (RFC 6455, 5.5.1)
      return;
    }
    int bytes = frame.content().readableBytes();
    boolean fin = frame.isFinalFragment();
    boolean continuation = frame instanceof ContinuationWebSocketFrame;
    if (!fin || continuation) {
      Attribute<long[]> attr = ctx.channel().attr(FRAGMENT_BYTES);
      long[] sofar = attr.get();
      if (sofar == null) {
        sofar = new long[1];
        attr.set(sofar);
      }
      sofar[0] = (continuation ? sofar[0] : 0) + bytes;
      if (sofar[0] > maxMessageBytes) {
        frame.release();
        closeWith(ctx.channel(), WebSocketCloseStatus.MESSAGE_TOO_BIG.code(),
            "message over " + maxMessageBytes + " bytes", true);
        return;
      }
      if (fin) {
        attr.set(null);
      }
    }
    ledger.onEchoed(bytes, fin);
    ctx.write(frame);
    holdBackIfUnread(ctx.channel());
  }

  /**
   * Past the high water mark the node stops reading from a client that reads slower than it
   * sends; past {@code maxOutboundBytes} queued for it, the client is cut off with 1008.
   */
  private void holdBackIfUnread(Channel ch) {
    if (ch.isWritable()) {
      return;
    }
    ch.config().setAutoRead(false);
    ChannelOutboundBuffer queued = ch.unsafe().outboundBuffer();
    if (queued != null && queued.totalPendingWriteBytes() > maxOutboundBytes) {
      closeNow(ch, WebSocketCloseStatus.POLICY_VIOLATION.code(), "over " + maxOutboundBytes + " bytes unread");
    }
  }

  private void onCloseFrame(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
    Attribute<Integer> code = ctx.channel().attr(CLOSE_CODE);
    if (code.get() != null) {
      close.release(); // the answer to our own close frame
      ctx.close();
      return;
    }
    int status = close.statusCode();
    if (status >= FIRST_UNDEFINED_CODE) {
      // the decoder checks the reserved ranges below 3000; past 4999 no code is defined (RFC 6455, 7.4.2)
      close.release();
      closeWith(ctx.channel(), WebSocketCloseStatus.PROTOCOL_ERROR.code(), "invalid close code " + status, true);
      return;
    }
    code.set(status < 0 ? NO_STATUS : status);
    ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE); // echo the client's code back
  }

  /**
   * Starts a server-side close with this code, unless a close has already begun. With
   * {@code now}, the connection is cut right after the close frame (protocol errors); otherwise the
   * client's answering close frame ends it.
   */
  static void closeWith(Channel ch, int code, String reason, boolean now) {
    if (ch.attr(CLOSE_CODE).setIfAbsent(code) != null) {
      return;
    }
    var written = ch.writeAndFlush(new CloseWebSocketFrame(code, reason));
    written.addListener(now ? (ChannelFutureListener) EchoFrameHandler::finishAfterCloseFrame
        : ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  /**
   * Ends a connection the node failed, once its close frame is out: a FIN right after it, then
   * whatever the client still sends is read and dropped until it closes, or for {@link #LINGER_MILLIS}
   * at most. Closing at once would reset a connection with unread input (a client mid-way through a
   * large frame), and the reset can destroy the close frame before the client reads it.
   */
  private static void finishAfterCloseFrame(ChannelFuture written) {
    Channel ch = written.channel();
    if (!written.isSuccess() || !(ch instanceof DuplexChannel duplex)) {
      ch.close();
      return;
    }
    duplex.shutdownOutput();
    ch.config().setAutoRead(true); // the decoder and this handler drop everything after a close
    // a timer only for a connection being failed, never for an idle one
    ch.eventLoop().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Ends the connection now with this close code: the close frame is sent if the socket takes it,
   * but nothing waits for it (a client that does not read, or does not answer pings).
   */
  static void closeNow(Channel ch, int code, String reason) {
    if (ch.attr(CLOSE_CODE).setIfAbsent(code) == null) {
      ch.writeAndFlush(new CloseWebSocketFrame(code, reason), ch.voidPromise());
    }
    ch.close();
  }

  /** Whether a close has begun on this connection. */
  static boolean closing(Channel ch) {
    return ch.hasAttr(CLOSE_CODE);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    sweep.onTraffic(ctx.channel());
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      sweep.onWritable(ctx.channel());
      ctx.channel().config().setAutoRead(true);
    } else {
      sweep.onUnwritable(ctx.channel());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Integer code = ctx.channel().attr(CLOSE_CODE).get();
    held.remove(ctx.channel());
    sweep.onClosed(ctx.channel());
    if (addressCap != null && ctx.channel().remoteAddress() instanceof InetSocketAddress from) {
      addressCap.release(from.getAddress()); // remoteAddress stays cached after close: read at the upgrade
    }
    ledger.onClosed(code == null ? ABNORMAL : code);
    onClosed.accept(ctx.channel());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException bad) {
      // a bad frame closes its own connection, with the code that says why (1002, 1007, 1009)
      closeWith(ctx.channel(), bad.closeStatus().code(), bad.closeStatus().reasonText(), true);
    } else {
      ctx.close(); // reset by peer and the like: counted as 1006 when the channel goes inactive
    }
  }
}
