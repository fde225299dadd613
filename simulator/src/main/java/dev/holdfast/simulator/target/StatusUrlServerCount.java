package dev.holdfast.simulator.target;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Sums {@code connections.held} from the echo nodes' {@code GET /status}: the servers' count when
 * the simulator runs without a cluster view. Any node not answering makes the sum unknown (-1).
 */
public final class StatusUrlServerCount implements ServerCount {

  private final HttpClient http;
  private final List<URI> urls;

  public StatusUrlServerCount(Vertx vertx, List<URI> urls) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setIdleTimeout(10));
    this.urls = List.copyOf(urls);
  }

  @Override
  public Future<Long> held() {
    if (urls.isEmpty()) {
      return Future.succeededFuture(-1L);
    }
    List<Future<Long>> each = new ArrayList<>();
    for (URI u : urls) {
      int port = u.getPort() < 0 ? 80 : u.getPort();
      String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/status" : u.getRawPath();
      each.add(http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(u.getHost()).setPort(port)
              .setURI(path).setTimeout(3000))
          .compose(req -> req.send())
          .compose(res -> res.body())
          .map(body -> new JsonObject(body).getJsonObject("connections").getLong("held")));
    }
    return Future.all(each).map(all -> {
      long sum = 0;
      for (int i = 0; i < all.size(); i++) {
        Long n = all.resultAt(i);
        sum += n == null ? 0 : n;
      }
      return sum;
    }).otherwise(-1L);
  }
}
