package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.websocket.HandshakeLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The in-place reading of an upgrade request's head, without a network: every split of a request
 * across reads, the limits of {@link HandshakeLimits}, header names in any case with any spacing,
 * repeated headers, token lists, and what counts as malformed.
 */
class UpgradeRequestParserTest {

  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String GOOD = "GET /ws?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n";

  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
  }

  /** Parses a whole head given in one piece; fails the test if it is not complete. */
  private static UpgradeRequest parse(String head) {
    ByteBuf buf = bytes(head);
    int start = UpgradeRequestParser.findStart(buf, 0);
    buf.readerIndex(start);
    int end = UpgradeRequestParser.findEnd(buf, start, start);
    assertThat(end).as("end of %s", head).isEqualTo(head.length());
    return UpgradeRequestParser.parse(buf, start, end, new UpgradeRequest());
  }

  private static String head(String headerLines) {
    return "GET /ws HTTP/1.1\r\n" + headerLines + "\r\n";
  }

  @Test
  void aWellFormedUpgradeIsReadWithTheFactsThatMatter() {
    UpgradeRequest r = parse(GOOD);
    assertThat(r.malformed).isNull();
    assertThat(r.http11).isTrue();
    assertThat(r.get).isTrue();
    assertThat(r.target).isEqualTo("/ws?x=1");
    assertThat(r.upgradeWebSocket).isTrue();
    assertThat(r.connectionUpgrade).isTrue();
    assertThat(r.versionHeaders).isEqualTo(1);
    assertThat(r.version13).isTrue();
    assertThat(r.keyHeaders).isEqualTo(1);
    assertThat(r.key).isEqualTo(KEY);
    assertThat(r.body).isFalse();
    assertThat(new HandshakeCheck("/ws").check(r)).isNull();
  }

  @Test
  void everySplitAcrossTwoReadsFindsTheSameEnd() {
    byte[] all = GOOD.getBytes(StandardCharsets.ISO_8859_1);
    for (int cut = 1; cut < all.length; cut++) {
      ByteBuf buf = Unpooled.buffer();
      buf.writeBytes(all, 0, cut);
      int start = UpgradeRequestParser.findStart(buf, 0);
      assertThat(UpgradeRequestParser.findEnd(buf, start, start)).as("cut at %d", cut)
          .isEqualTo(UpgradeRequestParser.NEED_MORE);
      int resumeFrom = buf.writerIndex() - 2;
      buf.writeBytes(all, cut, all.length - cut);
      assertThat(UpgradeRequestParser.findEnd(buf, start, resumeFrom)).as("cut at %d", cut).isEqualTo(all.length);
    }
  }

  @Test
  void aHeadSentOneByteAtATimeEndsAtItsBlankLineAndLeavesWhatFollows() {
    String pipelined = GOOD + "\u0081\u0080";
    byte[] all = pipelined.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuf buf = Unpooled.buffer();
    int end = UpgradeRequestParser.NEED_MORE;
    for (int i = 0; i < all.length && end == UpgradeRequestParser.NEED_MORE; i++) {
      int resumeFrom = buf.writerIndex() - 2;
      buf.writeByte(all[i]);
      end = UpgradeRequestParser.findEnd(buf, 0, resumeFrom);
    }
    assertThat(end).isEqualTo(GOOD.length());
    assertThat(buf.writerIndex()).as("stopped at the blank line").isEqualTo(GOOD.length());
  }

  @Test
  void emptyLinesBeforeTheRequestAreSkippedAndBareLineFeedsAccepted() {
    String head = "\r\n\r\nGET /ws HTTP/1.1\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: " + KEY
        + "\nSec-WebSocket-Version: 13\n\n";
    ByteBuf buf = bytes(head);
    int start = UpgradeRequestParser.findStart(buf, 0);
    assertThat(start).isEqualTo(4);
    int end = UpgradeRequestParser.findEnd(buf, start, start);
    assertThat(end).isEqualTo(head.length());
    UpgradeRequest r = UpgradeRequestParser.parse(buf, start, end, new UpgradeRequest());
    assertThat(new HandshakeCheck("/ws").check(r)).isNull();
  }

  @Test
  void headerNamesInAnyCaseAndValuesWithSpacesAndTabsAroundThem() {
    UpgradeRequest r = parse(head("uPgRaDe:websocket\r\nCONNECTION: \t keep-alive ,  UPGRADE \t\r\n"
        + "sec-websocket-key:\t " + KEY + " \t\r\nsec-WEBSOCKET-version:   13  \r\nORIGIN: https://App.Example \r\n"
        + "authorization:  Bearer abc.def.ghi  \r\n"));
    assertThat(r.malformed).isNull();
    assertThat(r.upgradeWebSocket).isTrue();
    assertThat(r.connectionUpgrade).isTrue();
    assertThat(r.version13).isTrue();
    assertThat(r.key).isEqualTo(KEY);
    assertThat(r.origin).isEqualTo("https://App.Example");
    assertThat(r.authorization).isEqualTo("Bearer abc.def.ghi");
    assertThat(new HandshakeCheck("/ws").check(r)).isNull();
  }

  @Test
  void tokenListsAreSplitOnCommasAndMatchWholeTokensOnly() {
    assertThat(parse(head("Connection: keep-alive, Upgrade\r\n")).connectionUpgrade).isTrue();
    assertThat(parse(head("Connection: upgraded\r\n")).connectionUpgrade).isFalse();
    assertThat(parse(head("Connection: keep-alive\r\nConnection: upgrade\r\n")).connectionUpgrade)
        .as("in a second Connection header").isTrue();
    assertThat(parse(head("Upgrade: h2c, websocket\r\n")).upgradeWebSocket).isTrue();
    assertThat(parse(head("Upgrade: websockets\r\n")).upgradeWebSocket).isFalse();
    assertThat(parse(head("Upgrade: ,,websocket,\r\n")).upgradeWebSocket).isTrue();
    assertThat(parse(head("Upgrade:\r\n")).upgradeWebSocket).isFalse();
  }

  @Test
  void repeatedKeysAndVersionsAreCountedAndTheFirstOriginKept() {
    UpgradeRequest r = parse(head("Sec-WebSocket-Key: " + KEY + "\r\nsec-websocket-key: " + KEY + "\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Version: 13\r\nOrigin: https://a\r\nOrigin: https://b\r\n"));
    assertThat(r.keyHeaders).isEqualTo(2);
    assertThat(r.versionHeaders).isEqualTo(2);
    assertThat(r.origin).isEqualTo("https://a");
    assertThat(parse(head("Sec-WebSocket-Version: 8\r\n")).version13).isFalse();
    assertThat(parse(head("Sec-WebSocket-Version: 130\r\n")).version13).isFalse();
  }

  @Test
  void theRequestLineGivesMethodTargetAndVersion() {
    assertThat(parse("get /ws HTTP/1.1\r\n\r\n").get).as("methods are case-sensitive").isFalse();
    assertThat(parse("POST /ws HTTP/1.1\r\n\r\n").get).isFalse();
    assertThat(parse("GET  /ws \t HTTP/1.1\r\n\r\n").target).as("runs of spaces").isEqualTo("/ws");
    assertThat(parse("GET /ws http/1.1\r\n\r\n").http11).as("the version in any case, as Netty reads it").isTrue();
    UpgradeRequest old = parse("GET /ws HTTP/1.0\r\n\r\n");
    assertThat(old.malformed).isNull();
    assertThat(old.http11).isFalse();
    assertThat(parse("GET /ws FOO/2.0\r\n\r\n").malformed).as("well-formed, another protocol: 505").isNull();
    for (String bad : new String[] {"GET /ws\r\n\r\n", "GET /ws HTTP/1.1 extra\r\n\r\n", "GET /ws HTTP\r\n\r\n",
        "GET /ws HTTP/1.x\r\n\r\n", "GE(T /ws HTTP/1.1\r\n\r\n", "GET /w\u0001s HTTP/1.1\r\n\r\n"}) {
      assertThat(parse(bad).malformed).as("%s", bad).isEqualTo(UpgradeRequest.Malformed.BAD_SYNTAX);
    }
  }

  @Test
  void malformedHeaderLinesAreRefusedAsBadSyntax() {
    for (String bad : new String[] {"Upgrade : websocket\r\n", ": websocket\r\n", "no colon\r\n",
        "Upgrade: websocket\r\n continued\r\n", "X-Bad: a\u0001b\r\n", "Content-Length: ten\r\n"}) {
      assertThat(parse(head(bad)).malformed).as("%s", bad).isEqualTo(UpgradeRequest.Malformed.BAD_SYNTAX);
    }
    assertThat(parse(head("X-Fine: caf\u00e9\r\n")).malformed).as("obs-text in a value").isNull();
  }

  @Test
  void aBodyIsNoticedAndRefused() {
    assertThat(parse(head("Content-Length: 0\r\n")).body).isFalse();
    assertThat(parse(head("Content-Length: 000\r\n")).body).isFalse();
    assertThat(parse(head("Content-Length: 5\r\n")).body).isTrue();
    assertThat(parse(head("Transfer-Encoding: chunked\r\n")).body).isTrue();
    UpgradeRequest withBody = parse(GOOD.replace("\r\n\r\n", "\r\nContent-Length: 3\r\n\r\n"));
    assertThat(new HandshakeCheck("/ws").check(withBody).status().code()).isEqualTo(400);
  }

  @Test
  void theLimitsAreNettysCountedTheSameWay() {
    String longestLine = "GET /" + "a".repeat(HandshakeLimits.MAX_INITIAL_LINE_BYTES - 14) + " HTTP/1.1";
    assertThat(longestLine).hasSize(HandshakeLimits.MAX_INITIAL_LINE_BYTES);
    assertThat(parse(longestLine + "\r\n\r\n").malformed).isNull();
    assertThat(parse(longestLine.replace("GET /", "GET /a") + "\r\n\r\n").malformed)
        .isEqualTo(UpgradeRequest.Malformed.LINE_TOO_LONG);
    // header bytes are counted without their line ends, over all lines
    String name = "X-Pad: ";
    String exact = name + "a".repeat(HandshakeLimits.MAX_HEADER_BYTES - name.length());
    assertThat(parse(head(exact + "\r\n")).malformed).isNull();
    assertThat(parse(head(exact + "\r\nb:\r\n")).malformed).isEqualTo(UpgradeRequest.Malformed.HEADERS_TOO_LARGE);
  }

  @Test
  void headsThatBreakALimitAreRefusedBeforeTheyEnd() {
    ByteBuf line = bytes("GET /" + "a".repeat(HandshakeLimits.MAX_INITIAL_LINE_BYTES));
    assertThat(UpgradeRequestParser.findEnd(line, 0, 0)).isEqualTo(UpgradeRequestParser.LINE_TOO_LONG);
    ByteBuf headers = bytes("GET /ws HTTP/1.1\r\nX-Pad: " + "a".repeat(UpgradeRequestParser.MAX_HEAD_BYTES));
    assertThat(UpgradeRequestParser.findEnd(headers, 0, 0)).isEqualTo(UpgradeRequestParser.HEADERS_TOO_LARGE);
    ByteBuf within = bytes("GET /ws HTTP/1.1\r\nX-Pad: " + "a".repeat(HandshakeLimits.MAX_HEADER_BYTES));
    assertThat(UpgradeRequestParser.findEnd(within, 0, 0)).as("may still end").isEqualTo(UpgradeRequestParser.NEED_MORE);
  }
}
