package dev.holdfast.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The admin HTTP port every holdfast process opens beside its real work: {@code /health} (the
 * process is alive), {@code /ready} (it is doing its job), {@code /metrics} (Prometheus text) and
 * whatever the role adds.
 */
public final class AdminServer {

  private AdminServer() {
  }

  /**
   * Starts the admin server; {@code routes} adds the role's own endpoints (such as
   * {@code /status}) to the router before it listens.
   */
  public static Future<HttpServer> start(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
      BooleanSupplier ready, Consumer<Router> routes) {
    Router router = Router.router(vertx);
    router.get("/health").handler(rc -> json(rc, 200, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(rc -> {
      boolean ok = ready.getAsBoolean();
      json(rc, ok ? 200 : 503, new JsonObject().put("ready", ok));
    });
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    routes.accept(router);
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(router)
        .listen();
  }

  /** Ends a request with a JSON body. */
  public static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encodePrettily());
  }
}
