package dev.holdfast.node;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written out by hand over a plain socket, so tests can send what no library
 * would: invalid UTF-8, oversized frames, raw fragments, and read the exact close frame back.
 */
final class RawWebSocket implements AutoCloseable {

  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CONTINUATION = 0x0;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /** One frame as read: opcode, FIN and payload. */
  record Frame(int opcode, boolean fin, byte[] payload) {
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  final String statusLine;
  /** The response's headers, names in lower case. */
  final Map<String, String> headers = new LinkedHashMap<>();

  RawWebSocket(int port, String path) throws IOException {
    this(port, path, "");
  }

  /** Upgrades with these extra header lines (each ending in CRLF), such as an Origin or Authorization. */
  RawWebSocket(int port, String path, String extraHeaders) throws IOException {
    this(port, List.of(request(port, path, extraHeaders)));
  }

  /**
   * Sends these byte runs one write (and one TCP segment, Nagle off) after the other, such as a
   * request cut in pieces or followed by a first frame, then reads the response head.
   */
  RawWebSocket(int port, List<byte[]> writes) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    for (byte[] w : writes) {
      out.write(w);
      out.flush();
    }
    statusLine = readLine();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
  }

  /** An upgrade request with a fresh random key and these extra header lines. */
  static byte[] request(int port, String path, String extraHeaders) {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
        + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed during the handshake");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** The first byte's reserved bits: RSV1 (per-message deflate when negotiated), RSV2, RSV3. */
  static final int RSV1 = 0x40;

  /** Sends one masked frame, as a client must. */
  void send(int opcode, boolean fin, byte[] payload) throws IOException {
    sendFrame((fin ? 0x80 : 0) | opcode, true, payload);
  }

  /**
   * Sends one frame with this exact first byte (FIN, reserved bits, opcode), masked or not: what
   * a broken or hostile client would send.
   */
  void sendFrame(int firstByte, boolean masked, byte[] payload) throws IOException {
    sendBytes(frame(firstByte, masked, payload));
  }

  /** Sends these bytes as they are: part of a frame, or several. */
  void sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The wire bytes of one frame with this exact first byte, masked or not. */
  static byte[] frame(int firstByte, boolean masked, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(firstByte);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      f.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      f.write(maskBit | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length);
    } else {
      f.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) payload.length >>> shift));
      }
    }
    byte[] mask = new byte[4];
    if (masked) {
      ThreadLocalRandom.current().nextBytes(mask);
      f.write(mask, 0, 4);
    }
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    return f.toByteArray();
  }

  /** Reads one (unmasked, server-sent) frame. */
  Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7F;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
  }

  /** True when the server has closed the TCP connection. */
  boolean serverClosed() throws IOException {
    return in.read() < 0;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
