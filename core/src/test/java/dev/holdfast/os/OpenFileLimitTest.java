package dev.holdfast.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenFileLimitTest {

  private static final int OPENED = 300;

  @Test
  void theCountFollowsTheDescriptorsOpenedAndClosed() throws Exception {
    assumeTrue(OpenFileLimit.openByListing() > 0, "Linux only");
    long before = OpenFileLimit.open();
    List<FileInputStream> held = new ArrayList<>();
    try {
      for (int i = 0; i < OPENED; i++) {
        held.add(new FileInputStream("/dev/null"));
      }
      // another thread of the test JVM may open or close a file meanwhile: a few either way
      assertThat(OpenFileLimit.open() - before).isBetween(OPENED - 3L, OPENED + 3L);
    } finally {
      for (FileInputStream f : held) {
        f.close();
      }
    }
    assertThat(OpenFileLimit.open() - before).isBetween(-3L, 3L);
  }

  @Test
  void theKernelsSizeOfProcSelfFdAgreesWithItsListing() {
    long bySize = OpenFileLimit.openBySize();
    assumeTrue(bySize > 0, "Linux 6.2 or later (older kernels report 0 as the size of /proc/self/fd)");
    long byListing = OpenFileLimit.openByListing();
    // the listing holds the directory open while it reads it: at most that one more, and a few for other threads
    assertThat(byListing - bySize).isBetween(-3L, 4L);
  }
}
