package dev.holdfast.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.TestDeps;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a stock Grafana needs to import the dashboards unchanged, and what makes a panel useful:
 * unique uids and panel ids, a schema version, the data source through the provisioned uid or the
 * {@code datasource} variable, a unit and a description on every panel, variables whose "All" works
 * in a regex matcher, and queries filtered by those variables. (That every query returns data from
 * a real run is {@code DashboardQueriesIT}.)
 */
class GrafanaDashboardsTest {

  private static final String PROVISIONED_UID = "holdfast-prometheus";
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");


  @Test
  void theProvisionedDataSourceHasTheUidTheDashboardsUse() throws Exception {
    Path ds = TestDeps.repoRoot().resolve("dashboards/grafana/provisioning/datasources/holdfast.yml");
    assertThat(Files.readString(ds)).contains("uid: " + PROVISIONED_UID).contains("type: prometheus");
    Path provider = TestDeps.repoRoot().resolve("dashboards/grafana/provisioning/dashboards/holdfast.yml");
    assertThat(Files.readString(provider)).contains("type: file").contains("path:");
  }

  @Test
  void everyDashboardIsImportableAndEveryPanelSaysWhatItShowsAndInWhatUnit() {
    List<Path> files = GrafanaDashboards.files();
    assertThat(files).as("the overview and the simulator fleet").hasSizeGreaterThanOrEqualTo(2);
    Set<String> uids = new HashSet<>();
    for (Path file : files) {
      JsonObject d = GrafanaDashboards.read(file);
      String name = file.getFileName().toString();
      assertThat(d.getString("uid")).as(name + " uid").isNotBlank().hasSizeLessThanOrEqualTo(40);
      assertThat(uids.add(d.getString("uid"))).as(name + ": uid unique across dashboards").isTrue();
      assertThat(d.getInteger("schemaVersion")).as(name + " schemaVersion").isNotNull().isGreaterThanOrEqualTo(36);
      assertThat(d.getString("title")).as(name + " title").isNotBlank();

      List<JsonObject> vars = GrafanaDashboards.objects(d.getJsonObject("templating").getJsonArray("list"));
      JsonObject ds = vars.stream().filter(v -> "datasource".equals(v.getString("type"))).findFirst().orElse(null);
      assertThat(ds).as(name + ": a datasource variable").isNotNull();
      assertThat(ds.getString("name")).isEqualTo("datasource");
      assertThat(ds.getString("query")).isEqualTo("prometheus");
      assertThat(ds.getJsonObject("current").getString("value")).as(name + ": defaults to the provisioned data source")
          .isEqualTo(PROVISIONED_UID);
      Set<String> varNames = new HashSet<>();
      for (JsonObject v : GrafanaDashboards.queryVariables(d)) {
        varNames.add(v.getString("name"));
        assertThat(v.getBoolean("includeAll")).as(name + " $" + v.getString("name") + " has All").isTrue();
        assertThat(v.getString("allValue")).as(name + " $" + v.getString("name") + ": All must work in =~").isEqualTo(".*");
        assertDataSource(name + " $" + v.getString("name"), v.getJsonObject("datasource"));
      }
      assertThat(varNames).as(name + ": templated by cluster and by process").contains("cluster").hasSizeGreaterThanOrEqualTo(2);

      Set<Integer> ids = new HashSet<>();
      List<JsonObject> panels = GrafanaDashboards.objects(d.getJsonArray("panels"));
      assertThat(panels).as(name + " panels").isNotEmpty();
      for (JsonObject p : panels) {
        String where = name + " panel \"" + p.getString("title") + "\"";
        assertThat(p.getInteger("id")).as(where + " id").isNotNull();
        assertThat(ids.add(p.getInteger("id"))).as(where + ": id unique in its dashboard").isTrue();
        assertThat(p.getString("title")).as(where + " title").isNotBlank();
        assertThat(p.getString("description")).as(where + " description").isNotBlank();
        assertThat(p.getString("description")).as(where + ": a one-line description").doesNotContain("\n");
        assertThat(p.getJsonObject("fieldConfig").getJsonObject("defaults").getString("unit")).as(where + " unit").isNotBlank();
        assertThat(p.getJsonObject("gridPos")).as(where + " gridPos").isNotNull();
        assertDataSource(where, p.getJsonObject("datasource"));
        List<JsonObject> targets = GrafanaDashboards.objects(p.getJsonArray("targets"));
        assertThat(targets).as(where + " queries").isNotEmpty();
        Set<String> refIds = new HashSet<>();
        for (JsonObject t : targets) {
          assertThat(refIds.add(t.getString("refId"))).as(where + ": refId unique").isTrue();
          assertDataSource(where + " " + t.getString("refId"), t.getJsonObject("datasource"));
          String expr = t.getString("expr");
          assertThat(expr).as(where + " " + t.getString("refId") + " expr").isNotBlank();
          assertThat(expr).as(where + ": filters by cluster").contains("cluster=~\"$cluster\"");
          GrafanaDashboards.assertRatesOfCountersOnly(where, expr);
          Matcher m = VARIABLE.matcher(expr);
          while (m.find()) {
            String used = m.group(1);
            assertThat(used.equals("__rate_interval") || varNames.contains(used))
                .as(where + ": $" + used + " is a variable of the dashboard").isTrue();
          }
        }
      }
    }
  }

  private static void assertDataSource(String where, JsonObject ref) {
    assertThat(ref).as(where + " datasource").isNotNull();
    assertThat(ref.getString("type")).as(where + " datasource type").isEqualTo("prometheus");
    assertThat(ref.getString("uid")).as(where + " datasource uid").isIn("${datasource}", PROVISIONED_UID);
  }
}
