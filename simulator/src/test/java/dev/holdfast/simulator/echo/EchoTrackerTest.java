package dev.holdfast.simulator.echo;

import static dev.holdfast.simulator.echo.EchoTracker.Verdict.DUPLICATE;
import static dev.holdfast.simulator.echo.EchoTracker.Verdict.IN_ORDER;
import static dev.holdfast.simulator.echo.EchoTracker.Verdict.REORDERED;
import static dev.holdfast.simulator.echo.EchoTracker.Verdict.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoTrackerTest {

  private static EchoTracker sent(int n) {
    EchoTracker t = new EchoTracker();
    for (int i = 0; i < n; i++) {
      assertThat(t.nextSeq()).isEqualTo(i);
    }
    return t;
  }

  @Test
  void inOrderEchoesLeaveNothingOutstanding() {
    EchoTracker t = sent(5);
    for (int i = 0; i < 5; i++) {
      assertThat(t.onEcho(i)).isEqualTo(IN_ORDER);
    }
    assertThat(t.outstanding()).isZero();
    assertThat(t.closeOutstanding()).isZero();
  }

  @Test
  void aDroppedEchoIsLostAtCloseAndTheRestAreInOrder() {
    EchoTracker t = sent(5);
    assertThat(t.onEcho(0)).isEqualTo(IN_ORDER);
    assertThat(t.onEcho(2)).isEqualTo(IN_ORDER); // 1 is missing, but nothing overtook anything
    assertThat(t.onEcho(3)).isEqualTo(IN_ORDER);
    assertThat(t.onEcho(4)).isEqualTo(IN_ORDER);
    assertThat(t.outstanding()).isEqualTo(1);
    assertThat(t.oldestOutstanding()).isEqualTo(1);
    assertThat(t.closeOutstanding()).isEqualTo(1);
  }

  @Test
  void aDelayedEchoOvertakenByLaterOnesIsReordered() {
    EchoTracker t = sent(4);
    assertThat(t.onEcho(0)).isEqualTo(IN_ORDER);
    assertThat(t.onEcho(2)).isEqualTo(IN_ORDER);
    assertThat(t.onEcho(3)).isEqualTo(IN_ORDER);
    assertThat(t.onEcho(1)).isEqualTo(REORDERED);
    assertThat(t.outstanding()).isZero();
  }

  @Test
  void duplicatesAreCaughtBeforeAndInsideTheWindow() {
    EchoTracker t = sent(4);
    assertThat(t.onEcho(0)).isEqualTo(IN_ORDER);
    assertThat(t.onEcho(0)).isEqualTo(DUPLICATE); // below the base
    assertThat(t.onEcho(2)).isEqualTo(IN_ORDER);
    assertThat(t.onEcho(2)).isEqualTo(DUPLICATE); // inside the window
    assertThat(t.outstanding()).isEqualTo(2);
  }

  @Test
  void numbersNeverSentAreUnknown() {
    EchoTracker t = sent(2);
    assertThat(t.onEcho(2)).isEqualTo(UNKNOWN);
    assertThat(t.onEcho(-1)).isEqualTo(UNKNOWN);
  }

  @Test
  void anEchoTooFarBehindIsWrittenOffAsLost() {
    EchoTracker t = sent(1);
    for (int i = 1; i < EchoTracker.WINDOW; i++) {
      t.nextSeq();
      t.onEcho(i);
    }
    assertThat(t.takeWrittenOff()).isZero();
    t.nextSeq(); // message 64: message 0 falls out of the window
    assertThat(t.takeWrittenOff()).isEqualTo(1);
    assertThat(t.takeWrittenOff()).isZero();
    assertThat(t.oldestOutstanding()).isEqualTo(EchoTracker.WINDOW);
    assertThat(t.outstanding()).isEqualTo(1);
  }

  @Test
  void countsWhatIsUnansweredBelowANumber() {
    EchoTracker t = sent(6);
    t.onEcho(0);
    t.onEcho(2);
    t.onEcho(4);
    assertThat(t.outstandingBelow(0)).isZero();
    assertThat(t.outstandingBelow(2)).isEqualTo(1); // 1
    assertThat(t.outstandingBelow(4)).isEqualTo(2); // 1, 3
    assertThat(t.outstandingBelow(100)).isEqualTo(3); // 1, 3, 5
    assertThat(t.outstanding()).isEqualTo(3);
  }

  @Test
  void resetStartsANewConnection() {
    EchoTracker t = sent(3);
    t.onEcho(1);
    t.reset();
    assertThat(t.sent()).isZero();
    assertThat(t.outstanding()).isZero();
    assertThat(t.nextSeq()).isZero();
    assertThat(t.onEcho(0)).isEqualTo(IN_ORDER);
  }
}
