package dev.holdfast.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --switch} command-line flags with defaults, for the bench
 * roles. Unknown flags are errors that name the flag, so a typo never silently runs the defaults.
 */
final class Flags {

  private final Map<String, String> values = new HashMap<>();
  private final Map<String, String> help = new LinkedHashMap<>();
  private final String role;

  private Flags(String role) {
    this.role = role;
  }

  /** Parses {@code args}; {@code switches} are the flags that take no value. */
  static Flags parse(String role, String[] args, Set<String> switches) {
    Flags f = new Flags(role);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException(role + ": unexpected argument " + a);
      }
      String name = a.substring(2);
      int eq = name.indexOf('=');
      if (eq > 0) {
        f.values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (switches.contains(name) || name.equals("help")) {
        f.values.put(name, "true");
      } else if (i + 1 < args.length) {
        f.values.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException(role + ": --" + name + " needs a value");
      }
    }
    return f;
  }

  String string(String name, String dflt, String what) {
    help.put(name, what + " (default " + dflt + ")");
    return values.getOrDefault(name, dflt);
  }

  int integer(String name, int dflt, String what) {
    String v = string(name, Integer.toString(dflt), what);
    try {
      return Integer.parseInt(v.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(role + ": --" + name + " " + v + " is not a whole number");
    }
  }

  double decimal(String name, String dflt, String what) {
    String v = string(name, dflt, what);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(role + ": --" + name + " " + v + " is not a number; use e.g. " + dflt);
    }
  }

  Duration duration(String name, String dflt, String what) {
    String v = string(name, dflt, what);
    try {
      return parseDuration(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(role + ": --" + name + " " + v + " is not a duration; use e.g. 500ms, 5s, 2m");
    }
  }

  boolean bool(String name, boolean dflt, String what) {
    help.put(name, what);
    String v = values.get(name);
    return v == null ? dflt : !v.equals("false");
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** Throws on any flag that no getter asked for; prints the flags and exits on {@code --help}. */
  void finish() {
    if (values.containsKey("help")) {
      System.out.println("flags of " + role + ":");
      help.forEach((k, v) -> System.out.printf("  --%-22s %s%n", k, v));
      System.exit(0);
    }
    for (String k : values.keySet()) {
      if (!help.containsKey(k)) {
        throw new IllegalArgumentException(role + ": unknown flag --" + k + "; known: " + help.keySet());
      }
    }
  }

  static Duration parseDuration(String v) {
    String s = v.trim().toLowerCase(java.util.Locale.ROOT);
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException(v);
    };
  }
}
