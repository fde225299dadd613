package dev.holdfast.simulator.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors.NativeIoException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

  @Test
  void classifiesTheJdksMessages() {
    assertThat(ErrorClassifier.classify(new ConnectException("Connection refused"))).isEqualTo(ErrorClass.CONNECT_REFUSED);
    assertThat(ErrorClassifier.classify(new ConnectTimeoutException("connection timed out: /127.0.0.1:1")))
        .isEqualTo(ErrorClass.CONNECT_TIMEOUT);
    assertThat(ErrorClassifier.classify(new BindException("Cannot assign requested address")))
        .isEqualTo(ErrorClass.ADDRESS_NOT_AVAILABLE);
    assertThat(ErrorClassifier.classify(new BindException("Address already in use")))
        .isEqualTo(ErrorClass.ADDRESS_NOT_AVAILABLE);
    assertThat(ErrorClassifier.classify(new SocketException("Too many open files")))
        .isEqualTo(ErrorClass.TOO_MANY_OPEN_FILES);
    assertThat(ErrorClassifier.classify(new IOException("Connection reset by peer"))).isEqualTo(ErrorClass.CONNECTION_LOST);
    assertThat(ErrorClassifier.classify(new IllegalStateException("odd"))).isEqualTo(ErrorClass.OTHER);
  }

  @Test
  void classifiesNativeErrnosWhateverTheMessage() {
    // the native transport's exceptions need its library loaded
    org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable());
    assertThat(ErrorClassifier.classify(new NativeIoException("connect", -111))).isEqualTo(ErrorClass.CONNECT_REFUSED);
    assertThat(ErrorClassifier.classify(new NativeIoException("bind", -99))).isEqualTo(ErrorClass.ADDRESS_NOT_AVAILABLE);
    assertThat(ErrorClassifier.classify(new NativeIoException("socket", -24))).isEqualTo(ErrorClass.TOO_MANY_OPEN_FILES);
    assertThat(ErrorClassifier.classify(new NativeIoException("read", -104))).isEqualTo(ErrorClass.CONNECTION_LOST);
  }

  @Test
  void searchesTheCauseChain() {
    Throwable wrapped = new ChannelException("Unable to create Channel from class EpollSocketChannel",
        new ChannelException(new SocketException("newSocketStream(..) failed: Too many open files")));
    assertThat(ErrorClassifier.classify(wrapped)).isEqualTo(ErrorClass.TOO_MANY_OPEN_FILES);
  }

  @Test
  void countersHaveStableNamesAndLabels() {
    assertThat(ErrorCounts.key(ErrorCounts.of(ErrorClass.CONNECT_REFUSED))).isEqualTo("connectRefused");
    assertThat(ErrorCounts.key(ErrorCounts.handshakeStatus(503))).isEqualTo("handshakeStatus503");
    assertThat(ErrorCounts.key(ErrorCounts.handshakeStatus(418))).isEqualTo("handshakeStatusOther");
    assertThat(ErrorCounts.key(ErrorCounts.closeCode(1001))).isEqualTo("closeCode1001");
    assertThat(ErrorCounts.key(ErrorCounts.closeCode(4000))).isEqualTo("closeCodeOther");
    assertThat(ErrorCounts.label(ErrorCounts.handshakeStatus(503))).isEqualTo("handshake_status_503");
    assertThat(ErrorCounts.label(ErrorCounts.of(ErrorClass.TOO_MANY_OPEN_FILES))).isEqualTo("too_many_open_files");
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (int i = 0; i < ErrorCounts.SIZE; i++) {
      keys.add(ErrorCounts.key(i));
    }
    assertThat(keys).hasSize(ErrorCounts.SIZE);
  }
}
