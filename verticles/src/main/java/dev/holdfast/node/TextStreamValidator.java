package dev.holdfast.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.AttributeKey;

/**
 * Validates the UTF-8 of text messages on the raw bytes as they arrive, in front of Netty's
 * WebSocket decoder, so that an impossible byte fails the connection with 1007 at once, even in
 * the middle of a frame the decoder is still collecting (Autobahn 6.4.x), not when the frame or
 * message ends. Everything it reads it passes on unchanged; frame errors are the decoder's job.
 *
 * <p>One instance serves every connection of an echo verticle instance, on its one event loop. A
 * connection has state here only while a frame is split across reads or a fragmented text
 * message is in flight; a read that ends on a frame boundary between messages leaves nothing
 * behind, so an idle connection costs this handler nothing. Not for per-message deflate, whose
 * wire bytes are compressed: {@link UpgradeHandler} validates after inflation then.
 */
@Sharable
final class TextStreamValidator extends ChannelInboundHandlerAdapter {

  static final String NAME = "utf8";

  private static final AttributeKey<Progress> PROGRESS = AttributeKey.valueOf("holdfast.textStream");

  private static final int TEXT = 0x1;
  private static final int CONTINUATION = 0x0;

  // where the parser is within a frame
  private static final int FIRST_BYTE = 0;
  private static final int LENGTH_BYTE = 1;
  private static final int EXTENDED_LENGTH = 2;
  private static final int MASK_KEY = 3;
  private static final int PAYLOAD = 4;

  /** Where one connection's byte stream stands: the frame being parsed and the text message in flight. */
  static final class Progress {
    int phase = FIRST_BYTE;
    boolean fin;
    int opcode;
    boolean masked;
    int pending;          // bytes still to read of the extended length or the mask key
    long payloadLeft;
    int mask;
    int payloadIndex;     // position in the payload, for the mask
    boolean validating;   // this frame's payload belongs to a text message
    boolean textInFlight; // a fragmented text message awaits its continuations
    int utf8 = Utf8Steps.START;
    boolean failed;

    boolean idle() {
      return phase == FIRST_BYTE && !textInFlight && !failed;
    }

    void copyFrom(Progress p) {
      phase = p.phase;
      fin = p.fin;
      opcode = p.opcode;
      masked = p.masked;
      pending = p.pending;
      payloadLeft = p.payloadLeft;
      mask = p.mask;
      payloadIndex = p.payloadIndex;
      validating = p.validating;
      textInFlight = p.textInFlight;
      utf8 = p.utf8;
      failed = p.failed;
    }
  }

  private static final Progress IDLE = new Progress();

  /** Parses reads that start between messages, so that those allocate nothing: one event loop only. */
  private final Progress scratch = new Progress();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    Channel ch = ctx.channel();
    Progress kept = ch.hasAttr(PROGRESS) ? ch.attr(PROGRESS).get() : null;
    if (kept != null && kept.failed) {
      buf.release(); // the connection is already closing with 1007
      return;
    }
    Progress p = kept;
    if (p == null) {
      p = scratch;
      p.copyFrom(IDLE);
    }
    int bad = scan(p, buf);
    if (p == scratch && !p.idle()) {
      kept = new Progress();
      kept.copyFrom(p);
      ch.attr(PROGRESS).set(kept);
    } else if (kept != null && kept.idle()) {
      ch.attr(PROGRESS).getAndRemove(); // removed, not just emptied, so the connection keeps no entry
    }
    if (bad < 0) {
      ctx.fireChannelRead(buf);
      return;
    }
    if (bad > buf.readerIndex()) {
      ctx.fireChannelRead(buf.retainedSlice(buf.readerIndex(), bad - buf.readerIndex())); // the frames before it
    }
    buf.release();
    ctx.fireExceptionCaught(new CorruptedWebSocketFrameException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
        "invalid UTF-8 in a text message"));
  }

  /**
   * Advances {@code p} over the readable bytes of {@code buf} without consuming them; returns the
   * index of the first byte that breaks UTF-8 (and marks {@code p} failed), or -1.
   */
  static int scan(Progress p, ByteBuf buf) {
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    while (i < end) {
      switch (p.phase) {
        case FIRST_BYTE -> {
          int b = buf.getUnsignedByte(i++);
          p.fin = (b & 0x80) != 0;
          p.opcode = b & 0x0F;
          p.phase = LENGTH_BYTE;
        }
        case LENGTH_BYTE -> {
          int b = buf.getUnsignedByte(i++);
          p.masked = (b & 0x80) != 0;
          int len = b & 0x7F;
          p.payloadLeft = len < 126 ? len : 0;
          p.pending = len == 126 ? 2 : len == 127 ? 8 : 0;
          p.phase = p.pending > 0 ? EXTENDED_LENGTH : afterLength(p);
        }
        case EXTENDED_LENGTH -> {
          p.payloadLeft = p.payloadLeft << 8 | buf.getUnsignedByte(i++);
          if (--p.pending == 0) {
            p.phase = afterLength(p);
          }
        }
        case MASK_KEY -> {
          p.mask = p.mask << 8 | buf.getUnsignedByte(i++);
          if (--p.pending == 0) {
            p.phase = startPayload(p);
          }
        }
        default -> { // PAYLOAD
          long take = Math.min(p.payloadLeft, end - i);
          if (p.validating) {
            int mask = p.mask;
            int state = p.utf8;
            int index = p.payloadIndex;
            for (int k = 0; k < take; k++) {
              int b = buf.getUnsignedByte(i + k) ^ ((mask >>> (24 - ((index + k) & 3) * 8)) & 0xFF);
              state = Utf8Steps.step(state, b);
              if (state == Utf8Steps.INVALID) {
                p.failed = true;
                return i + k;
              }
            }
            p.utf8 = state;
          }
          i += (int) take;
          p.payloadIndex += (int) take;
          p.payloadLeft -= take;
          if (p.payloadLeft == 0 && endFrame(p)) {
            p.failed = true;
          }
        }
      }
      if (p.failed) {
        return i - 1; // a message that ended in the middle of a character
      }
    }
    return -1;
  }

  private static int afterLength(Progress p) {
    if (p.masked) {
      p.pending = 4;
      p.mask = 0;
      return MASK_KEY;
    }
    p.mask = 0; // unmasked: the decoder fails it with 1002
    return startPayload(p);
  }

  private static int startPayload(Progress p) {
    p.payloadIndex = 0;
    if (p.opcode == TEXT) {
      p.validating = true;
      p.utf8 = Utf8Steps.START;
      p.textInFlight = !p.fin;
    } else if (p.opcode == CONTINUATION) {
      p.validating = p.textInFlight;
    } else {
      p.validating = false; // binary and control frames: a close reason is checked by the decoder
    }
    if (p.payloadLeft == 0) {
      return endFrame(p) ? failedAt(p) : FIRST_BYTE;
    }
    return PAYLOAD;
  }

  private static int failedAt(Progress p) {
    p.failed = true;
    return FIRST_BYTE;
  }

  /** Ends the frame; true when it ends a text message in the middle of a character. */
  private static boolean endFrame(Progress p) {
    p.phase = FIRST_BYTE;
    if (p.validating && p.fin) {
      p.textInFlight = false;
      boolean truncated = !Utf8Steps.complete(p.utf8);
      p.utf8 = Utf8Steps.START;
      return truncated;
    }
    return false;
  }
}
