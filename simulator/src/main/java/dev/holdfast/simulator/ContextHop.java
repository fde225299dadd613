package dev.holdfast.simulator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Hands a future's outcome back to the node's own context: a verticle's or a worker's future
 * completes on its own thread, and the node's state is touched only on its context.
 */
final class ContextHop {

  private ContextHop() {
  }

  /** {@code f}'s outcome, delivered on {@code context} whatever thread completed {@code f}. */
  static <T> Future<T> back(Context context, Future<T> f) {
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> context.runOnContext(v -> p.handle(ar)));
    return p.future();
  }
}
