package dev.holdfast.simulator.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-contained HTML report page: preformatted text, a thresholds table and uPlot time plots.
 * uPlot's JS and CSS are read from its webjar on the classpath and inlined, and the data is
 * embedded as JSON, so the page works offline and can be mailed. Once the plots are drawn, the
 * page's script counts each plot's points against the embedded data and writes the number of
 * plots holding all their points into {@code <body data-plots-ok>} (and any script error into
 * {@code data-error}), which is what the browser test reads.
 */
public final class PlotPage {

  /** The uPlot release inlined; the webjar {@code org.webjars.npm:uplot} of this version is a dependency. */
  public static final String UPLOT_VERSION = "1.6.30";
  private static final String WEBJAR = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";

  /**
   * One line of a plot.
   *
   * @param name legend label
   * @param color CSS colour
   * @param values one value per x; NaN is a gap
   */
  public record Series(String name, String color, double[] values) {
  }

  private final String title;
  private final StringBuilder body = new StringBuilder();
  private final JsonArray plots = new JsonArray();

  /** An empty page with this title. */
  public PlotPage(String title) {
    this.title = title;
  }

  /** Adds a heading and preformatted text. */
  public PlotPage text(String heading, String text) {
    body.append("<h2>").append(escape(heading)).append("</h2>\n<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  /** Adds a table of thresholds beside their measured values. */
  public PlotPage thresholds(List<Thresholds.Result> results) {
    body.append("<h2>Thresholds</h2>\n");
    if (results.isEmpty()) {
      body.append("<p>none</p>\n");
      return this;
    }
    body.append("<table class=\"thresholds\"><tr><th>threshold</th><th>what</th><th>limit</th><th>measured</th>")
        .append("<th>result</th></tr>\n");
    for (Thresholds.Result r : results) {
      body.append("<tr class=\"").append(r.pass() ? "pass" : "fail").append("\"><td><code>").append(escape(r.path()))
          .append("</code></td><td>").append(escape(r.what())).append("</td><td>").append(escape(r.limit()))
          .append("</td><td>").append(escape(r.measured())).append("</td><td>").append(r.pass() ? "pass" : "FAIL")
          .append("</td></tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /**
   * Adds a time plot.
   *
   * @param seconds the x values, seconds since the start
   * @param yLabel unit of the y axis
   * @param log a logarithmic y axis (values at or below 0 become gaps)
   */
  public PlotPage plot(String heading, String yLabel, boolean log, double[] seconds, List<Series> series) {
    int index = plots.size();
    body.append("<h2>").append(escape(heading)).append("</h2>\n<div class=\"plot\" id=\"plot-").append(index)
        .append("\"></div>\n");
    JsonArray lines = new JsonArray();
    for (Series s : series) {
      JsonArray values = new JsonArray();
      for (int i = 0; i < seconds.length; i++) {
        double v = i < s.values().length ? s.values()[i] : Double.NaN;
        values.add(Double.isNaN(v) || Double.isInfinite(v) || log && v <= 0 ? null : v);
      }
      lines.add(new JsonObject().put("name", s.name()).put("color", s.color()).put("values", values));
    }
    JsonArray xs = new JsonArray();
    for (double x : seconds) {
      xs.add(Math.round(x * 1000) / 1000.0);
    }
    plots.add(new JsonObject().put("title", heading).put("y", yLabel).put("log", log).put("x", xs).put("series", lines));
    return this;
  }

  /** Adds a heading and a JSON document, pretty-printed. */
  public PlotPage json(String heading, JsonObject json) {
    return text(heading, json.encodePrettily());
  }

  /** Number of plots added. */
  public int plotCount() {
    return plots.size();
  }

  /** The page. */
  public String render() {
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
        + "<style>" + resource("uPlot.min.css") + "</style>\n"
        + "<style>body{font-family:sans-serif;margin:2em;color:#222;max-width:1100px}"
        + "pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:12px}"
        + "table.thresholds{border-collapse:collapse}table.thresholds td,table.thresholds th{border:1px solid #ccc;"
        + "padding:4px 8px;text-align:left}tr.pass td:last-child{color:#1a7f37;font-weight:bold}"
        + "tr.fail td:last-child{color:#cf222e;font-weight:bold}.plot{margin:0 0 1em}#errors{color:#cf222e}#errors:empty{display:none}</style>\n"
        + "<script>window.onerror=function(m,s,l,c,e){document.body.setAttribute('data-error',String(m)+' at '+l+':'+c);"
        + "var d=document.getElementById('errors');if(d){d.textContent+=m+'\\n';}};</script>\n"
        + "</head><body data-plots=\"" + plots.size() + "\">\n<h1>" + escape(title) + "</h1>\n<pre id=\"errors\"></pre>\n"
        + body
        + "<script type=\"application/json\" id=\"plot-data\">" + plots.encode().replace("</", "<\\/") + "</script>\n"
        + "<script>" + resource("uPlot.iife.min.js") + "</script>\n"
        + "<script>" + DRAW + "</script>\n</body></html>\n";
  }

  // Draws every plot, then counts each one's points against the embedded data.
  private static final String DRAW = String.join("\n",
      "(function(){",
      "var plots=JSON.parse(document.getElementById('plot-data').textContent);var ok=0;",
      "plots.forEach(function(p,i){",
      "  var el=document.getElementById('plot-'+i);",
      "  var series=[{label:'t (s)'}];var data=[p.x];",
      "  p.series.forEach(function(s){series.push({label:s.name,stroke:s.color,width:1.5,spanGaps:false});data.push(s.values);});",
      "  var u=new uPlot({width:Math.min(1000,window.innerWidth-60),height:260,series:series,",
      "    scales:{x:{time:false},y:p.log?{distr:3}:{}},axes:[{label:'seconds'},{label:p.y}]},data,el);",
      "  var full=u.data.length===data.length&&p.series.length>0;",
      "  for(var k=1;k<data.length&&full;k++){",
      "    var want=data[k].filter(function(v){return v!==null;}).length;",
      "    var got=u.data[k].filter(function(v){return v!==null&&v!==undefined;}).length;",
      "    if(want===0||got!==want||u.data[k].length!==p.x.length){full=false;}",
      "  }",
      "  if(full&&p.x.length>0){ok++;el.setAttribute('data-points',String(p.x.length));}",
      "});",
      "document.body.setAttribute('data-plots-ok',String(ok));",
      "})();");

  private static String resource(String name) {
    try (InputStream in = PlotPage.class.getClassLoader().getResourceAsStream(WEBJAR + name)) {
      if (in == null) {
        throw new IllegalStateException("uPlot " + UPLOT_VERSION + " is not on the classpath (" + WEBJAR + name
            + "): the webjar org.webjars.npm:uplot:" + UPLOT_VERSION + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** The values of one field over samples, for a series. */
  public static <T> double[] values(List<T> samples, java.util.function.ToDoubleFunction<T> f) {
    double[] out = new double[samples.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(samples.get(i));
    }
    return out;
  }

  /** Convenience for {@link #plot}: a list of series. */
  public static List<Series> series(Series... s) {
    return new ArrayList<>(List.of(s));
  }
}
