package dev.holdfast.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProcNetTcpTest {

  // Lines as the kernel writes them: a listener on 8080 (st 0A), two established server-side
  // sockets (local port 1F90 = 8080), their client sides, and a TIME_WAIT (06) on 8080.
  private static final String TCP = String.join("\n",
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 101 1 0 100 0 0 10 0",
      "   1: 0100007F:1F90 0200007F:A2B4 01 00000000:00000000 00:00000000 00000000     0        0 102 1 0 20 4 30 10 -1",
      "   2: 0100007F:1F90 0300007F:A2B5 01 00000000:00000000 00:00000000 00000000     0        0 103 1 0 20 4 30 10 -1",
      "   3: 0200007F:A2B4 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 104 1 0 20 4 30 10 -1",
      "   4: 0300007F:A2B5 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 105 1 0 20 4 30 10 -1",
      "   5: 0100007F:1F90 0400007F:A2B6 06 00000000:00000000 03:00000DA4 00000000     0        0 0 3 0",
      "");
  private static final String TCP6 = String.join("\n",
      "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:C001 01 00000000:00000000 00:00000000 00000000     0        0 200 1 0 20 4 30 10 -1",
      "");

  @Test
  void countsEstablishedServerSidesByLocalPort() throws Exception {
    assertThat(ProcNetTcp.countEstablished(reader(TCP), p -> p == 8080, p -> true)).isEqualTo(2);
    assertThat(ProcNetTcp.countEstablished(reader(TCP6), p -> p == 8080, p -> true)).isEqualTo(1);
  }

  @Test
  void countsEstablishedClientSidesByRemotePort() throws Exception {
    assertThat(ProcNetTcp.countEstablished(reader(TCP), p -> true, p -> p == 8080)).isEqualTo(2);
    assertThat(ProcNetTcp.countEstablished(reader(TCP), p -> true, p -> p == 9999)).isZero();
  }

  @Test
  void readsThisMachinesTables() {
    // On Linux the live tables parse; elsewhere the count is -1, never a made-up number.
    long n = ProcNetTcp.countEstablishedOnLocalPort(1);
    assertThat(n).isEqualTo(ProcNetTcp.available() ? 0 : -1);
  }

  @Test
  void readsTablesLargerThanItsBufferAndALastLineWithoutNewline() throws Exception {
    StringBuilder big = new StringBuilder(TCP);
    String established = "   9: 0100007F:1F90 0200007F:A2B4 01 00000000:00000000 00:00000000 00000000     0        0 %d 1 0 20 4 30 10 -1\n";
    for (int i = 0; i < 5000; i++) { // ~600 KB: many buffer refills, lines split across them
      big.append(String.format(established, 1_000 + i));
    }
    big.append(String.format(established, 9_999).strip());
    assertThat(ProcNetTcp.countEstablished(reader(big.toString()), p -> p == 8080, p -> true)).isEqualTo(2 + 5001);
  }

  @Test
  void aSocketListedTwiceByAShiftedWalkCountsOnceAndUnacceptedOnesCountEach() throws Exception {
    String twice = TCP + String.join("\n",
        "   6: 0100007F:1F90 0200007F:A2B4 01 00000000:00000000 00:00000000 00000000     0        0 102 1 0 20 4 30 10 -1",
        "   7: 0100007F:1F90 0500007F:A2B7 01 00000000:00000000 00:00000000 00000000     0        0 0 1 0 20 4 30 10 -1",
        "   8: 0100007F:1F90 0600007F:A2B8 01 00000000:00000000 00:00000000 00000000     0        0 0 1 0 20 4 30 10 -1",
        "");
    // 102 again (the kernel listed it twice), and two sockets still in the accept queue (inode 0)
    assertThat(ProcNetTcp.countEstablished(reader(twice), p -> p == 8080, p -> true)).isEqualTo(2 + 2);
  }

  private static InputStream reader(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
  }
}
