package dev.holdfast.preflight;

import java.util.List;

/**
 * The outcome of one preflight check: what was read, whether it blocks the connections asked for,
 * and the exact lines that fix it.
 *
 * @param name what was checked, e.g. {@code open files}
 * @param verdict whether it blocks
 * @param detail what was found against what is needed, one line
 * @param fixes the lines that fix it, each with the file it goes into; empty when nothing to fix
 */
public record Finding(String name, Verdict verdict, String detail, List<FixLine> fixes) {

  /** Whether a check lets the connections through. */
  public enum Verdict {
    /** Enough. */
    OK,
    /** Holding the connections works, but something about it will hurt (e.g. a storm of handshakes). */
    WARN,
    /** The connections cannot all be held until this is fixed. */
    BLOCKS,
    /** This machine does not show the value (not Linux, or no permission). */
    UNKNOWN
  }

  /**
   * One line of a fix and where it goes.
   *
   * @param where the file or place the line belongs in
   * @param line the line, exactly
   */
  public record FixLine(Where where, String line) {
  }

  /** Where a fix line goes; the files of {@code ops/} are laid out the same way. */
  public enum Where {
    /** The shell that starts the process by hand (above the hard limit only root may raise it). */
    SHELL("the shell that starts it (raising the hard limit needs root)"),
    /** {@code /etc/sysctl.d/90-holdfast.conf} ({@code ops/sysctl.d/}), applied by {@code sysctl --system}. */
    SYSCTL("/etc/sysctl.d/90-holdfast.conf (then: sudo sysctl --system)"),
    /** {@code /etc/security/limits.d/90-holdfast.conf} ({@code ops/limits.d/}), for login sessions. */
    LIMITS("/etc/security/limits.d/90-holdfast.conf (then log in again)"),
    /** The {@code [Service]} section of the role's systemd unit ({@code ops/systemd/}). */
    SYSTEMD("the [Service] section of the systemd unit (ops/systemd/)"),
    /** The JVM's flags ({@code HOLDFAST_HEAP} for {@code bin/holdfast}). */
    JVM("the JVM flags (bin/holdfast: HOLDFAST_HEAP)"),
    /** The role's command line or config. */
    COMMAND("the command line or config");

    private final String description;

    Where(String description) {
      this.description = description;
    }

    /** Where it is, in words an operator can act on. */
    public String description() {
      return description;
    }
  }
}
