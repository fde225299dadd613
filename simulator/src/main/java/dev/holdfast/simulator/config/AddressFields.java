package dev.holdfast.simulator.config;

import dev.holdfast.config.ConfigException;
import dev.holdfast.config.ConfigReader;
import io.netty.util.NetUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks the simulator config's address fields ({@code targets}, {@code sourceAddresses},
 * {@code nodeStatusUrls}); each error names the element's JSON path, the value and what is allowed.
 */
final class AddressFields {

  private AddressFields() {
  }

  /** {@code "targets": "cluster"}: any other string is an error. */
  static void clusterTargets(ConfigReader r) {
    String s = r.string("targets", SimulatorConfig.CLUSTER_TARGETS);
    if (!s.equals(SimulatorConfig.CLUSTER_TARGETS)) {
      throw new ConfigException(r.pathOf("targets"), "\"" + s + "\" is not allowed; use an array of WebSocket URLs"
          + " such as [\"ws://127.0.0.1:8080/ws\"], or \"cluster\" to discover the echo nodes from the cluster view");
    }
  }

  /** {@code "targets": [urls]}, at least one. */
  static List<URI> targets(ConfigReader r, List<String> defaults) {
    List<String> urls = r.strings("targets", defaults);
    if (urls.isEmpty()) {
      throw new ConfigException(r.pathOf("targets"), "[] is not allowed; use at least one WebSocket URL, or \"cluster\"");
    }
    return webSocketUrls(r.pathOf("targets"), urls);
  }

  /** Each of {@code urls} checked as a WebSocket URL; errors name {@code at[i]}. */
  static List<URI> webSocketUrls(String at, List<String> urls) {
    List<URI> out = new ArrayList<>(urls.size());
    for (int i = 0; i < urls.size(); i++) {
      out.add(webSocketUrl(at + "[" + i + "]", urls.get(i)));
    }
    return List.copyOf(out);
  }

  static URI webSocketUrl(String at, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(at, "\"" + url + "\" is not allowed; use a WebSocket URL such as \"ws://127.0.0.1:8080/ws\"");
    }
    boolean webSocket = "ws".equalsIgnoreCase(uri.getScheme()) || "wss".equalsIgnoreCase(uri.getScheme());
    if (!webSocket || uri.getHost() == null) {
      throw new ConfigException(at, "\"" + url + "\" is not allowed; use a WebSocket URL such as \"ws://127.0.0.1:8080/ws\""
          + " or \"wss://127.0.0.1:8443/ws\"");
    }
    return uri;
  }

  static List<String> sourceAddresses(ConfigReader r) {
    List<String> list = r.strings("sourceAddresses", List.of());
    for (int i = 0; i < list.size(); i++) {
      if (NetUtil.createInetAddressFromIpAddressString(list.get(i)) == null) {
        throw new ConfigException(r.pathOf("sourceAddresses") + "[" + i + "]", "\"" + list.get(i)
            + "\" is not allowed; use a literal local IP address such as \"127.0.0.2\"");
      }
    }
    return List.copyOf(list);
  }

  static List<URI> statusUrls(ConfigReader r) {
    List<String> list = r.strings("nodeStatusUrls", List.of());
    List<URI> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = r.pathOf("nodeStatusUrls") + "[" + i + "]";
      try {
        URI u = new URI(list.get(i));
        if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
          throw new URISyntaxException(list.get(i), "not http");
        }
        out.add(u);
      } catch (URISyntaxException e) {
        throw new ConfigException(at, "\"" + list.get(i)
            + "\" is not allowed; use an echo node's status URL such as \"http://127.0.0.1:9090/status\"");
      }
    }
    return List.copyOf(out);
  }
}
