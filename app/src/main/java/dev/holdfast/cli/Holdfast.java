package dev.holdfast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code holdfast} command line: one fat jar, a subcommand per role. */
@Command(name = "holdfast", mixinStandardHelpOptions = true, version = "holdfast 0.1.0",
    description = "Holds very large numbers of open WebSockets across a cluster, and proves it.",
    subcommands = {NodeCommand.class, SimulateCommand.class, DemoCommand.class, PreflightCommand.class,
        CommandLine.HelpCommand.class})
public final class Holdfast {

  /** Exit code for a user's mistake in config or flags. */
  static final int USAGE = 2;
  /** Exit code when the process could not do its job. */
  static final int FAILED = 1;

  public static void main(String[] args) {
    dev.holdfast.demo.ParentWatch.startIfAsked(); // a demo's child exits when its demo is gone
    int code = new CommandLine(new Holdfast()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
