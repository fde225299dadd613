package dev.holdfast.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pure checks behind strict handshakes and fail-fast UTF-8, without a network. */
class HandshakeCheckTest {

  @Test
  void aKeyIsExactlySixteenBytesOfBase64() {
    assertThat(HandshakeCheck.isKey(Base64.getEncoder().encodeToString(new byte[16]))).isTrue();
    assertThat(HandshakeCheck.isKey(Base64.getEncoder().encodeToString(new byte[15]))).isFalse();
    assertThat(HandshakeCheck.isKey(Base64.getEncoder().encodeToString(new byte[17]))).isFalse();
    assertThat(HandshakeCheck.isKey("!!!!!!!!!!!!!!!!!!!!!!==")).isFalse();
    assertThat(HandshakeCheck.isKey("")).isFalse();
  }

  @Test
  void tokensAreFoundInCommaListsIgnoringCase() {
    assertThat(HandshakeCheck.hasToken(List.of("keep-alive, Upgrade"), "upgrade")).isTrue();
    assertThat(HandshakeCheck.hasToken(List.of("keep-alive", "UPGRADE"), "upgrade")).isTrue();
    assertThat(HandshakeCheck.hasToken(List.of("upgraded"), "upgrade")).isFalse();
    assertThat(HandshakeCheck.hasToken(List.of(), "upgrade")).isFalse();
  }

  @Test
  void utf8StepsAgreeWithTheJdkDecoderOnRandomAndEdgeInput() {
    Random random = new Random(11);
    byte[][] edges = {
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
        {(byte) 0xC0, (byte) 0x80}, // overlong
        {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
        {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, // an emoji
        {(byte) 0xCE, (byte) 0xBA, (byte) 0xE1, (byte) 0xBD, (byte) 0xB9}, // "κό"
        {(byte) 0xC3}, // truncated
    };
    for (byte[] e : edges) {
      assertThat(valid(e)).as("%s", java.util.HexFormat.of().formatHex(e)).isEqualTo(jdkValid(e));
    }
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[1 + random.nextInt(8)];
      random.nextBytes(b);
      if (i % 2 == 0) { // bias half of them toward multi-byte lead and continuation bytes
        for (int k = 0; k < b.length; k++) {
          b[k] = (byte) (0x80 | (b[k] & 0x7F));
        }
        b[0] = (byte) (0xC0 | (b[0] & 0x3F));
      }
      assertThat(valid(b)).as("%s", java.util.HexFormat.of().formatHex(b)).isEqualTo(jdkValid(b));
    }
  }

  private static boolean valid(byte[] bytes) {
    int state = Utf8Steps.START;
    for (byte x : bytes) {
      state = Utf8Steps.step(state, x & 0xFF);
      if (state == Utf8Steps.INVALID) {
        return false;
      }
    }
    return Utf8Steps.complete(state);
  }

  private static boolean jdkValid(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
