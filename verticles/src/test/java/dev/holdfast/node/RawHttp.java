package dev.holdfast.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One hand-written HTTP request over a plain socket and the response head read back: for the
 * handshakes no client library would send (no key, a POST upgrade, HTTP/1.0, huge headers).
 */
final class RawHttp {

  /** The status code and headers (names in lower case) of a response. */
  record Response(int status, Map<String, String> headers) {
  }

  private RawHttp() {
  }

  /** A WebSocket upgrade request to {@code path} with these extra header lines (each ending in CRLF). */
  static String upgrade(String method, String path, String version, String headerLines) {
    return method + " " + path + " " + version + "\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + headerLines + "\r\n";
  }

  /** A well-formed key and version, to add to {@link #upgrade}'s header lines. */
  static final String KEY_AND_VERSION = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

  static Response exchange(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      String statusLine = readLine(in);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed before the response head ended: " + line);
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
