package dev.holdfast.simulator.config;

import dev.holdfast.config.ConfigReader;
import io.vertx.core.json.JsonObject;

/** The {@code report} object of a simulator config: where the final report is written, besides the text printed to stdout. */
public final class ReportOptions {

  private String json;
  private String text;
  private String html;

  static ReportOptions read(ConfigReader r) {
    ReportOptions s = new ReportOptions();
    s.json = r.string("json", null);
    s.text = r.string("text", null);
    s.html = r.string("html", null);
    r.finish();
    return s;
  }

  /** The {@code report} object as {@link #read} reads it. */
  public JsonObject toJson() {
    return new JsonObject().put("json", json).put("text", text).put("html", html);
  }

  /** Path of the JSON report; null (default) = not written. */
  public String json() {
    return json;
  }

  public ReportOptions json(String json) {
    this.json = json;
    return this;
  }

  /** Path of the text report; null (default) = stdout only. */
  public String text() {
    return text;
  }

  public ReportOptions text(String text) {
    this.text = text;
    return this;
  }

  /** Path of the HTML report with plots; null (default) = not written. */
  public String html() {
    return html;
  }

  public ReportOptions html(String html) {
    this.html = html;
    return this;
  }
}
