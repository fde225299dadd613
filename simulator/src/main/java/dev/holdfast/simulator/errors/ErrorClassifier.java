package dev.holdfast.simulator.errors;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors.NativeIoException;
import java.net.BindException;
import java.net.ConnectException;
import java.util.Locale;

/**
 * Turns a connect or I/O failure into an {@link ErrorClass}. Netty's native transport reports
 * errno values ({@link NativeIoException#expectedErr()}), the JDK's only messages, so both are
 * read; the whole cause chain is searched, since channel creation failures arrive wrapped.
 */
public final class ErrorClassifier {

  // negated errno values as Netty's native transport reports them (Linux)
  private static final int EMFILE = -24;
  private static final int ENFILE = -23;
  private static final int EADDRINUSE = -98;
  private static final int EADDRNOTAVAIL = -99;
  private static final int ECONNRESET = -104;
  private static final int ETIMEDOUT = -110;
  private static final int ECONNREFUSED = -111;
  private static final int EPIPE = -32;

  private ErrorClassifier() {
  }

  /** The class of a failure to open a connection or of an error on an open one. */
  public static ErrorClass classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      ErrorClass c = classifyOne(t);
      if (c != null) {
        return c;
      }
    }
    return ErrorClass.OTHER;
  }

  private static ErrorClass classifyOne(Throwable t) {
    if (t instanceof ConnectTimeoutException) {
      return ErrorClass.CONNECT_TIMEOUT;
    }
    if (t instanceof NativeIoException n) {
      ErrorClass c = byErrno(n.expectedErr());
      if (c != null) {
        return c;
      }
    }
    String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    if (m.contains("too many open files")) {
      return ErrorClass.TOO_MANY_OPEN_FILES;
    }
    if (m.contains("cannot assign requested address") || m.contains("address already in use")
        || t instanceof BindException) {
      return ErrorClass.ADDRESS_NOT_AVAILABLE;
    }
    if (m.contains("connection refused")) {
      return ErrorClass.CONNECT_REFUSED;
    }
    if (m.contains("timed out") && t instanceof ConnectException) {
      return ErrorClass.CONNECT_TIMEOUT;
    }
    if (m.contains("connection reset") || m.contains("broken pipe")) {
      return ErrorClass.CONNECTION_LOST;
    }
    return null;
  }

  private static ErrorClass byErrno(int errno) {
    return switch (errno) {
      case EMFILE, ENFILE -> ErrorClass.TOO_MANY_OPEN_FILES;
      case EADDRINUSE, EADDRNOTAVAIL -> ErrorClass.ADDRESS_NOT_AVAILABLE;
      case ECONNREFUSED -> ErrorClass.CONNECT_REFUSED;
      case ETIMEDOUT -> ErrorClass.CONNECT_TIMEOUT;
      case ECONNRESET, EPIPE -> ErrorClass.CONNECTION_LOST;
      default -> null;
    };
  }
}
