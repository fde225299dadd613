package dev.holdfast.node;

import dev.holdfast.node.HandshakeCheck.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The node's WebSocket upgrade without an HTTP codec: reads the request head straight from the
 * inbound bytes ({@link UpgradeRequestParser}), lets {@link UpgradeGate} decide, then either writes
 * the refusal and closes, or writes a pre-built 101 carrying the Sec-WebSocket-Accept value and
 * puts Netty's WebSocket frame encoder and decoder, the {@link TextStreamValidator} and the shared
 * {@link EchoFrameHandler} in its own place, in one step. Bytes that followed the head in the same
 * read (a client that sends its first frame without waiting for the 101) go on to the decoder.
 *
 * <p>Why: Netty's HTTP codec, aggregator and handshaker build a request object, a header map, a
 * response object and rebuild the pipeline twice for each handshake; this is the part of a
 * handshake's CPU that a node taking reconnect storms can save. Used unless per-message deflate is
 * on ({@link UpgradeHandler} negotiates that with Netty's codec).
 *
 * <p>One instance serves every connection of an echo verticle instance, on its one event loop,
 * so the request it fills and the SHA-1 digest are per loop. A connection has state here only
 * while its request head is split across reads, or after it was refused.
 */
@Sharable
final class InPlaceUpgradeHandler extends ChannelInboundHandlerAdapter {

  private static final AttributeKey<PartialHead> PARTIAL = AttributeKey.valueOf("holdfast.partialHead");

  /** RFC 6455, 1.3: appended to the client's key before hashing. */
  private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_LENGTH = 24;
  private static final byte[] SWITCHING = ("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n"
      + "connection: upgrade\r\nsec-websocket-accept: ").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int ACCEPT_LENGTH = 28; // base64 of a 20-byte SHA-1

  /** A request head split across reads: the bytes so far, or, once refused, nothing more to read. */
  private static final class PartialHead {
    ByteBuf bytes;
    boolean answered;
  }

  private final UpgradeGate gate;
  private final ConnectionSweep sweep;
  private final EchoFrameHandler echo;
  private final TextStreamValidator textStream = new TextStreamValidator();
  private final WebSocketDecoderConfig decoderConfig;
  // per event loop: the request being decided and the accept computation's scratch
  private final UpgradeRequest request = new UpgradeRequest();
  private final MessageDigest sha1;
  private final byte[] keyAndGuid = new byte[KEY_LENGTH + GUID.length];
  private final byte[] digest = new byte[20];
  private final byte[] accept = new byte[ACCEPT_LENGTH];

  InPlaceUpgradeHandler(NodeConfig config, UpgradeGate gate, ConnectionSweep sweep, EchoFrameHandler echo) {
    this.gate = gate;
    this.sweep = sweep;
    this.echo = echo;
    this.decoderConfig = frameDecoderConfig(config);
    try {
      this.sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
    System.arraycopy(GUID, 0, keyAndGuid, KEY_LENGTH, GUID.length);
  }

  /** How the node's WebSocket frame decoder is configured, on either upgrade path. */
  static WebSocketDecoderConfig frameDecoderConfig(NodeConfig config) {
    return WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(config.maxFrameBytes())
        .allowExtensions(config.compression())
        .closeOnProtocolViolation(false) // EchoFrameHandler closes, so every close is counted by its code
        .withUTF8Validator(false)        // added as its own handler, once
        .build();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    sweep.onAccepted(ctx.channel()); // the handshake deadline starts with the connection
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    Channel ch = ctx.channel();
    PartialHead partial = ch.hasAttr(PARTIAL) ? ch.attr(PARTIAL).get() : null;
    if (partial != null && partial.answered) {
      in.release(); // refused: the answer is on its way and the connection closes after it
      return;
    }
    ByteBuf buf = in;
    int scanFrom = in.readerIndex();
    if (partial != null) {
      buf = partial.bytes;
      scanFrom = buf.writerIndex() - 2; // a line end may straddle the two reads
      buf.writeBytes(in);
      in.release();
    }
    buf.readerIndex(UpgradeRequestParser.findStart(buf, buf.readerIndex())); // empty lines before the request
    if (!buf.isReadable()) { // nothing but those so far: nothing to keep of them
      if (partial == null) {
        buf.release();
      } else {
        buf.clear();
      }
      return;
    }
    int end = UpgradeRequestParser.findEnd(buf, buf.readerIndex(), scanFrom);
    if (end == UpgradeRequestParser.NEED_MORE) {
      if (partial == null) {
        partial = new PartialHead();
        partial.bytes = ctx.alloc().buffer(Math.max(512, 2 * buf.readableBytes())).writeBytes(buf);
        buf.release();
        ch.attr(PARTIAL).set(partial);
      }
      return;
    }
    if (partial != null) {
      ch.attr(PARTIAL).getAndRemove(); // removed, not emptied: an upgraded connection keeps no entry
    }
    request.reset();
    if (end == UpgradeRequestParser.LINE_TOO_LONG) {
      request.malformed = UpgradeRequest.Malformed.LINE_TOO_LONG;
    } else if (end == UpgradeRequestParser.HEADERS_TOO_LARGE) {
      request.malformed = UpgradeRequest.Malformed.HEADERS_TOO_LARGE;
    } else {
      UpgradeRequestParser.parse(buf, buf.readerIndex(), end, request);
    }
    Refusal bad = gate.admit(request, ch);
    if (bad != null) {
      buf.release();
      refuse(ctx, bad);
      return;
    }
    buf.readerIndex(end);
    upgrade(ctx, buf);
  }

  /** Writes the 101 and swaps this handler for the WebSocket handlers; {@code rest} is what followed the head. */
  private void upgrade(ChannelHandlerContext ctx, ByteBuf rest) {
    ByteBuf switching = ctx.alloc().buffer(SWITCHING.length + ACCEPT_LENGTH + HEAD_END.length)
        .writeBytes(SWITCHING).writeBytes(accept(request.key)).writeBytes(HEAD_END);
    ChannelPipeline p = ctx.pipeline();
    String self = ctx.name();
    // behind this handler, in the order [this, wsencoder, utf8, wsdecoder, echo], so that the rest
    // of this read goes from here to the validator and decoder before this handler leaves
    p.addAfter(self, EchoFrameHandler.NAME, echo);
    p.addAfter(self, "wsdecoder", new WebSocket13FrameDecoder(decoderConfig));
    p.addAfter(self, TextStreamValidator.NAME, textStream); // sees the raw bytes, so fails fast
    p.addAfter(self, "wsencoder", new WebSocket13FrameEncoder(false));
    ctx.write(switching, ctx.voidPromise()); // flushed at the end of this read, with any echo of the rest
    if (rest.isReadable()) {
      ctx.fireChannelRead(rest);
    } else {
      rest.release();
    }
    p.remove(this);
  }

  /** Sec-WebSocket-Accept for this key (checked to be 24 characters of base64): base64 of SHA-1(key + GUID). */
  private byte[] accept(String key) {
    for (int i = 0; i < KEY_LENGTH; i++) {
      keyAndGuid[i] = (byte) key.charAt(i);
    }
    sha1.update(keyAndGuid);
    try {
      sha1.digest(digest, 0, digest.length);
    } catch (DigestException e) {
      throw new IllegalStateException("a SHA-1 digest is 20 bytes", e);
    }
    Base64.getEncoder().encode(digest, accept);
    return accept;
  }

  private void refuse(ChannelHandlerContext ctx, Refusal refusal) {
    PartialHead answered = new PartialHead();
    answered.answered = true;
    ctx.channel().attr(PARTIAL).set(answered);
    ctx.writeAndFlush(gate.response(refusal, ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    PartialHead partial = ch.hasAttr(PARTIAL) ? ch.attr(PARTIAL).getAndRemove() : null;
    if (partial != null && partial.bytes != null) {
      partial.bytes.release(); // gone mid-request
    }
    sweep.onHandshakeEnded(ch); // refused or gone before the upgrade
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a connection reset before the upgrade: nothing was held, nothing to count
  }
}
