package dev.holdfast.node;

import dev.holdfast.websocket.HandshakeLimits;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the head of an upgrade request (request line and headers) straight from the inbound
 * bytes into an {@link UpgradeRequest}: no HTTP codec, no header map, and strings only for the few
 * values a decision reads. The limits are {@link HandshakeLimits}', counted as Netty's codec counts
 * them (line bytes without their CRLF), so the same request gets the same 414 or 431.
 *
 * <p>Two steps, so that a head split over many reads is not parsed again on every read:
 * {@link #findEnd} looks for the blank line that ends the head, resuming where it stopped, and
 * {@link #parse} reads the complete head once. Pure logic over a {@code ByteBuf}, tested without
 * a network. Stricter than Netty in one way: a folded header line (obsolete since RFC 7230) is
 * malformed.
 */
final class UpgradeRequestParser {

  /** {@link #findEnd}: the head has not ended yet, and the bytes so far are within the limits. */
  static final int NEED_MORE = -1;
  /** {@link #findEnd}: no end of the request line within its limit. */
  static final int LINE_TOO_LONG = -2;
  /** {@link #findEnd}: no end of the head within the most bytes a head within the limits can take. */
  static final int HEADERS_TOO_LARGE = -3;

  private static final int MAX_LINE = HandshakeLimits.MAX_INITIAL_LINE_BYTES;
  private static final int MAX_HEADERS = HandshakeLimits.MAX_HEADER_BYTES;
  /**
   * The most wire bytes of a head within the limits: the request line and its CRLF, header lines as
   * short as {@code a:} (two counted bytes and two of CRLF each), and the blank line.
   */
  static final int MAX_HEAD_BYTES = MAX_LINE + 2 + 2 * MAX_HEADERS + 2;

  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private static final byte[] UPGRADE = ascii("upgrade");
  private static final byte[] CONNECTION = ascii("connection");
  private static final byte[] SEC_WEBSOCKET_VERSION = ascii("sec-websocket-version");
  private static final byte[] SEC_WEBSOCKET_KEY = ascii("sec-websocket-key");
  private static final byte[] ORIGIN = ascii("origin");
  private static final byte[] AUTHORIZATION = ascii("authorization");
  private static final byte[] CONTENT_LENGTH = ascii("content-length");
  private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
  private static final byte[] WEBSOCKET = ascii("websocket");
  private static final byte[] HTTP_1_1 = ascii("http/1.1");

  private UpgradeRequestParser() {
  }

  /**
   * Where the request begins at or after {@code from}: past the empty lines and control bytes a
   * client may send before a request line (Netty skips them too); {@code buf.writerIndex()} when
   * there are only those so far.
   */
  static int findStart(ByteBuf buf, int from) {
    int end = buf.writerIndex();
    int i = from;
    while (i < end) {
      int b = buf.getUnsignedByte(i);
      if (!Character.isISOControl(b) && !Character.isWhitespace(b)) {
        break;
      }
      i++;
    }
    return i;
  }

  /**
   * The index just past the blank line that ends the head beginning at {@code start}, looking at the
   * readable bytes from {@code from} on; or {@link #NEED_MORE}, {@link #LINE_TOO_LONG} or
   * {@link #HEADERS_TOO_LARGE} (the readable bytes count against {@link #MAX_HEAD_BYTES}). A caller that got {@link #NEED_MORE} and has appended bytes passes
   * as {@code from} the old {@code writerIndex() - 2} (a line end may straddle the two reads).
   */
  static int findEnd(ByteBuf buf, int start, int from) {
    int end = buf.writerIndex();
    for (int i = Math.max(from, start); i < end; i++) {
      i = buf.indexOf(i, end, LF);
      if (i < 0) {
        break;
      }
      int next = i + 1;
      if (next < end && buf.getByte(next) == CR) {
        next++;
      }
      if (next < end && buf.getByte(next) == LF) {
        return next + 1;
      }
    }
    int lineEnd = buf.indexOf(start, Math.min(end, start + MAX_LINE + 2), LF);
    if (lineEnd < 0 && end - start > MAX_LINE + 1) {
      return LINE_TOO_LONG;
    }
    if (end - buf.readerIndex() > MAX_HEAD_BYTES) {
      return lineEnd < 0 ? LINE_TOO_LONG : HEADERS_TOO_LARGE;
    }
    return NEED_MORE;
  }

  /** Reads the complete head in {@code [start, end)} ({@code end} from {@link #findEnd}) into {@code req}. */
  static UpgradeRequest parse(ByteBuf buf, int start, int end, UpgradeRequest req) {
    req.reset();
    int lf = buf.indexOf(start, end, LF);
    int eol = lineEnd(buf, start, lf);
    if (eol - start > MAX_LINE) {
      req.malformed = UpgradeRequest.Malformed.LINE_TOO_LONG;
      return req;
    }
    if (!requestLine(buf, start, eol, req)) {
      req.malformed = UpgradeRequest.Malformed.BAD_SYNTAX;
      return req;
    }
    int headerBytes = 0;
    for (int pos = lf + 1; pos < end; pos = lf + 1) {
      lf = buf.indexOf(pos, end, LF);
      eol = lineEnd(buf, pos, lf);
      if (eol == pos) {
        break; // the blank line
      }
      headerBytes += eol - pos;
      if (headerBytes > MAX_HEADERS) {
        req.malformed = UpgradeRequest.Malformed.HEADERS_TOO_LARGE;
        return req;
      }
      if (!header(buf, pos, eol, req)) {
        req.malformed = UpgradeRequest.Malformed.BAD_SYNTAX;
        return req;
      }
    }
    return req;
  }

  /** The end of the line's content: before a CR that precedes its LF. */
  private static int lineEnd(ByteBuf buf, int from, int lf) {
    return lf > from && buf.getByte(lf - 1) == CR ? lf - 1 : lf;
  }

  /** {@code METHOD SP target SP version}, with runs of spaces or tabs between them as Netty allows. */
  private static boolean requestLine(ByteBuf buf, int from, int to, UpgradeRequest req) {
    int methodEnd = skip(buf, from, to, false);
    int targetStart = skip(buf, methodEnd, to, true);
    int targetEnd = skip(buf, targetStart, to, false);
    int versionStart = skip(buf, targetEnd, to, true);
    int versionEnd = skip(buf, versionStart, to, false);
    if (methodEnd == from || targetEnd == targetStart || versionEnd == versionStart
        || skip(buf, versionEnd, to, true) != to) {
      return false;
    }
    for (int i = from; i < methodEnd; i++) {
      if (!isTokenChar(buf.getUnsignedByte(i))) {
        return false;
      }
    }
    for (int i = targetStart; i < targetEnd; i++) {
      int b = buf.getUnsignedByte(i);
      if (b < 0x21 || b == 0x7F) {
        return false;
      }
    }
    req.get = methodEnd - from == 3 && buf.getByte(from) == 'G' && buf.getByte(from + 1) == 'E'
        && buf.getByte(from + 2) == 'T';
    req.target = buf.toString(targetStart, targetEnd - targetStart, StandardCharsets.ISO_8859_1);
    if (versionEnd - versionStart == HTTP_1_1.length && equalsIgnoreCase(buf, versionStart, HTTP_1_1)) {
      req.http11 = true;
      return true;
    }
    return isVersion(buf, versionStart, versionEnd); // well-formed but not HTTP/1.1: a 505
  }

  /** Netty's version syntax: a protocol name, a slash, digits, a dot, digits. */
  private static boolean isVersion(ByteBuf buf, int from, int to) {
    int slash = buf.indexOf(from, to, (byte) '/');
    if (slash <= from) {
      return false;
    }
    int dot = buf.indexOf(slash + 1, to, (byte) '.');
    return dot > slash + 1 && dot < to - 1 && digits(buf, slash + 1, dot) && digits(buf, dot + 1, to);
  }

  private static boolean digits(ByteBuf buf, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = buf.getByte(i);
      if (b < '0' || b > '9') {
        return false;
      }
    }
    return true;
  }

  /** One {@code name: value} line; records the headers an upgrade decision reads. */
  private static boolean header(ByteBuf buf, int from, int to, UpgradeRequest req) {
    int colon = buf.indexOf(from, to, (byte) ':');
    if (colon <= from) {
      return false; // no name, or a folded continuation line (it starts with a space or tab)
    }
    for (int i = from; i < colon; i++) {
      if (!isTokenChar(buf.getUnsignedByte(i))) {
        return false; // includes whitespace before the colon, which RFC 7230 forbids
      }
    }
    int valueStart = skip(buf, colon + 1, to, true);
    int valueEnd = to;
    while (valueEnd > valueStart && isSpace(buf.getByte(valueEnd - 1))) {
      valueEnd--;
    }
    for (int i = valueStart; i < valueEnd; i++) {
      int b = buf.getUnsignedByte(i);
      if (b < 0x20 && b != '\t' || b == 0x7F) {
        return false;
      }
    }
    int nameLength = colon - from;
    if (is(buf, from, nameLength, UPGRADE)) {
      req.upgradeWebSocket |= hasToken(buf, valueStart, valueEnd, WEBSOCKET);
    } else if (is(buf, from, nameLength, CONNECTION)) {
      req.connectionUpgrade |= hasToken(buf, valueStart, valueEnd, UPGRADE);
    } else if (is(buf, from, nameLength, SEC_WEBSOCKET_VERSION)) {
      if (req.versionHeaders++ == 0) {
        req.version13 = valueEnd - valueStart == 2 && buf.getByte(valueStart) == '1' && buf.getByte(valueStart + 1) == '3';
      }
    } else if (is(buf, from, nameLength, SEC_WEBSOCKET_KEY)) {
      if (req.keyHeaders++ == 0) {
        req.key = buf.toString(valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
      }
    } else if (is(buf, from, nameLength, ORIGIN)) {
      if (req.origin == null) {
        req.origin = buf.toString(valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
      }
    } else if (is(buf, from, nameLength, AUTHORIZATION)) {
      if (req.authorization == null) {
        req.authorization = buf.toString(valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
      }
    } else if (is(buf, from, nameLength, CONTENT_LENGTH)) {
      if (valueEnd == valueStart || !digits(buf, valueStart, valueEnd)) {
        return false;
      }
      for (int i = valueStart; i < valueEnd; i++) {
        req.body |= buf.getByte(i) != '0';
      }
    } else if (is(buf, from, nameLength, TRANSFER_ENCODING)) {
      req.body = true;
    }
    return true;
  }

  /** Whether a comma-separated list in {@code [from, to)} holds {@code token} (lower case), ignoring case. */
  static boolean hasToken(ByteBuf buf, int from, int to, byte[] token) {
    int i = from;
    while (i < to) {
      int comma = buf.indexOf(i, to, (byte) ',');
      int partEnd = comma < 0 ? to : comma;
      int s = skip(buf, i, partEnd, true);
      int e = partEnd;
      while (e > s && isSpace(buf.getByte(e - 1))) {
        e--;
      }
      if (is(buf, s, e - s, token)) {
        return true;
      }
      i = partEnd + 1;
    }
    return false;
  }

  /** Whether the {@code length} bytes at {@code from} are {@code lower} (letters and '-'), ignoring case. */
  private static boolean is(ByteBuf buf, int from, int length, byte[] lower) {
    return length == lower.length && equalsIgnoreCase(buf, from, lower);
  }

  private static boolean equalsIgnoreCase(ByteBuf buf, int from, byte[] lower) {
    for (int i = 0; i < lower.length; i++) {
      int b = buf.getByte(from + i);
      if (b >= 'A' && b <= 'Z') {
        b += 'a' - 'A';
      }
      if (b != lower[i]) {
        return false;
      }
    }
    return true;
  }

  /** The first index at or after {@code from} that is (with {@code spaces} false: is not) a space or tab. */
  private static int skip(ByteBuf buf, int from, int to, boolean spaces) {
    int i = from;
    while (i < to && isSpace(buf.getByte(i)) == spaces) {
      i++;
    }
    return i;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t';
  }

  /** RFC 7230's tchar: what a method or header name is made of. */
  private static boolean isTokenChar(int b) {
    return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
        || b < 0x80 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
