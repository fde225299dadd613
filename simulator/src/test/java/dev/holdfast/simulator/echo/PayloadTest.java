package dev.holdfast.simulator.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class PayloadTest {

  @Test
  void carriesIdSequenceAndIntendedTimePaddedToSize() {
    for (int size : new int[] {20, 21, 27, 28, 64, 1000}) {
      ByteBuf b = Unpooled.buffer();
      Payload.write(b, 0x1234_5678_9ABCL, 42, 987_654_321L, size);
      assertThat(b.readableBytes()).isEqualTo(size);
      assertThat(Payload.connectionId(b)).isEqualTo(0x1234_5678_9ABCL);
      assertThat(Payload.seq(b)).isEqualTo(42);
      assertThat(Payload.intendedNanos(b)).isEqualTo(987_654_321L);
      assertThat(Payload.check(b, size)).isEqualTo(Payload.Check.INTACT);
    }
  }

  @Test
  void paddingDiffersBetweenMessages() {
    ByteBuf a = Unpooled.buffer();
    ByteBuf b = Unpooled.buffer();
    Payload.write(a, 1, 1, 5, 64);
    Payload.write(b, 1, 2, 5, 64);
    assertThat(a.slice(Payload.HEADER_BYTES, 44)).isNotEqualTo(b.slice(Payload.HEADER_BYTES, 44));
  }

  @Test
  void catchesEveryCorruptedByteAndWrongLengths() {
    ByteBuf original = Unpooled.buffer();
    Payload.write(original, 77, 3, 1_000, 64);
    for (int i = 0; i < 64; i++) {
      ByteBuf copy = original.copy();
      copy.setByte(i, copy.getByte(i) ^ 0x01);
      assertThat(Payload.check(copy, 64)).as("byte " + i).isEqualTo(Payload.Check.CORRUPT);
    }
    assertThat(Payload.check(original.copy(0, 63), 64)).isEqualTo(Payload.Check.CORRUPT);
    ByteBuf longer = Unpooled.buffer().writeBytes(original.copy()).writeByte(0);
    assertThat(Payload.check(longer, 64)).isEqualTo(Payload.Check.CORRUPT);
  }

  @Test
  void readsFromTheReaderIndexWithoutConsuming() {
    ByteBuf b = Unpooled.buffer().writeBytes(new byte[5]);
    b.readerIndex(5);
    Payload.write(b, 9, 8, 7, 40);
    assertThat(Payload.check(b, 40)).isEqualTo(Payload.Check.INTACT);
    assertThat(Payload.seq(b)).isEqualTo(8);
    assertThat(b.readerIndex()).isEqualTo(5);
  }
}
