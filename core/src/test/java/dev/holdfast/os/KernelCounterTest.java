package dev.holdfast.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.Eventually;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KernelCounterTest {

  @Test
  void aCountPastItsDeadlineIsMissingAndTheEventLoopStaysFree() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<String> countedOn = new AtomicReference<>();
    KernelCounter counter = new KernelCounter(() -> {
      countedOn.set(Thread.currentThread().getName());
      awaitQuietly(release);
      return 7;
    }, () -> "test", Duration.ofMillis(200));
    // Vert.x's blocked-thread checker would log any event loop held for more than 100 ms
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)
        .setBlockedThreadCheckInterval(50).setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      Context loop = vertx.getOrCreateContext();
      CompletableFuture<Long> answer = new CompletableFuture<>();
      AtomicInteger ticks = new AtomicInteger();
      CompletableFuture<Integer> ticksBeforeAnswer = new CompletableFuture<>();
      loop.runOnContext(v -> {
        vertx.setPeriodic(10, id -> ticks.incrementAndGet());
        Future.fromCompletionStage(counter.count(), loop).onSuccess(n -> {
          assertThat(Context.isOnEventLoopThread()).isTrue();
          ticksBeforeAnswer.complete(ticks.get());
          answer.complete(n);
        });
      });
      assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(KernelCounter.MISSING);
      assertThat(ticksBeforeAnswer.get()).as("the event loop ran timers while the count hung").isPositive();
      assertThat(counter.missed()).isEqualTo(1);
      assertThat(counter.last()).isEqualTo(KernelCounter.MISSING);
      assertThat(countedOn.get()).isEqualTo(KernelCounter.THREAD_NAME);
    } finally {
      release.countDown();
      vertx.close().await();
    }
    // once the kernel answers again, so does the counter
    assertThat(counter.count().get(30, TimeUnit.SECONDS)).isEqualTo(7);
    assertThat(counter.last()).isEqualTo(7);
    assertThat(counter.missed()).isEqualTo(1);
  }

  @Test
  void requestsWhileACountWaitsShareItAndPeriodicCountsKeepTheLatest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    KernelCounter blocker = new KernelCounter(() -> {
      awaitQuietly(release);
      return 0;
    }, () -> "test", Duration.ofSeconds(30));
    KernelCounter counter = new KernelCounter(runs::incrementAndGet, () -> "test", Duration.ofSeconds(30));
    CompletableFuture<Long> busy = blocker.count(); // holds the one counting thread
    CompletableFuture<Long> a = counter.count();
    CompletableFuture<Long> b = counter.count();
    assertThat(b).isSameAs(a);
    release.countDown();
    assertThat(busy.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    try (KernelCounter periodic = counter.every(Duration.ofMillis(20))) {
      assertThat(Eventually.poll(Duration.ofSeconds(30), counter::last, n -> n >= 3)).isGreaterThanOrEqualTo(3);
    }
    assertThat(counter.missed()).isZero();
    assertThat(counter.counts()).isGreaterThanOrEqualTo(3);
    assertThat(counter.method()).isEqualTo("test");
  }

  @Test
  void countsTheKernelsSocketsThroughTheSystemReader() throws Exception {
    KernelCounter counter = KernelCounter.of(KernelSockets.system(), () -> SocketFilter.localPorts(1).ownedByThisProcess(),
        Duration.ofSeconds(30));
    long n = counter.count().get(30, TimeUnit.SECONDS);
    assertThat(n).isEqualTo(KernelSockets.system().available() ? 0 : -1);
    assertThat(counter.method()).isIn(SocketDescriptors.METHOD, NetlinkSockDiag.METHOD, ProcNetTcp.METHOD);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    awaitQuietly(latch, 60_000);
  }

  private static void awaitQuietly(CountDownLatch latch, long millis) {
    try {
      latch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void itReportsTheCountsCpuApartFromTheirWallTime() throws Exception {
    // a count that waits (as one does on a busy machine) costs wall time but next to no CPU
    KernelCounter waiting = new KernelCounter(() -> {
      awaitQuietly(new CountDownLatch(1), 300);
      return 1;
    }, () -> "test", Duration.ofSeconds(10));
    assertThat(waiting.count().get(30, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(waiting.seconds()).isGreaterThanOrEqualTo(0.3);
    assertThat(waiting.cpuSeconds()).isLessThan(waiting.seconds() / 2);
    // a count that computes costs CPU, and never more than its wall time
    KernelCounter working = new KernelCounter(() -> {
      long end = System.nanoTime() + 50_000_000;
      long x = 0;
      while (System.nanoTime() < end) {
        x += Long.numberOfTrailingZeros(System.nanoTime());
      }
      return x >= 0 ? 2 : 3;
    }, () -> "test", Duration.ofSeconds(10));
    assertThat(working.count().get(30, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(working.cpuSeconds()).isPositive().isLessThanOrEqualTo(working.seconds() + 0.01);
  }

}
