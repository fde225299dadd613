package dev.holdfast.config;

/**
 * A user's configuration mistake: names the JSON path, the bad value and what is allowed.
 * The command line prints {@link #getMessage()} alone (no stack trace) and exits non-zero.
 */
public final class ConfigException extends RuntimeException {

  private final String path;

  public ConfigException(String path, String problem) {
    super(path + ": " + problem, null, false, false);
    this.path = path;
  }

  /** The JSON path of the offending field, e.g. {@code $.churn.fraction}. */
  public String path() {
    return path;
  }
}
