package dev.holdfast.cli;

import dev.holdfast.config.ConfigException;

/** What every subcommand does alike. */
final class Cli {

  private Cli() {
  }

  /** Prints a user's config mistake without a stack trace; returns the exit code for it. */
  static int configError(String command, ConfigException e) {
    System.err.println("holdfast " + command + ": config error at " + e.getMessage());
    return Holdfast.USAGE;
  }
}
