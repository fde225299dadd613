package dev.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import dev.holdfast.cluster.ClusterConfigs;
import dev.holdfast.node.NodeConfig;
import dev.holdfast.simulator.config.SimulatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.json.JsonObject;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests of {@code ops/kubernetes/}, parsed with the fabric8 Kubernetes model: a field the
 * model does not know (a typo, a wrong level) fails, the configs in the ConfigMaps pass the roles'
 * own validation, and the names, ports and grace periods agree with the code they deploy.
 */
class KubernetesManifestsTest {

  /** The drain window the node's stop is sized for (the issue's default). */
  private static final Duration DRAIN_WINDOW = Duration.ofSeconds(10);
  /** NodeCommand waits closeTimeout plus this for the drain, then leaves the cluster. */
  private static final Duration NODE_STOP_MARGIN = Duration.ofSeconds(10);

  private static final List<HasMetadata> RESOURCES = new ArrayList<>();

  @BeforeAll
  static void parse() throws Exception {
    KubernetesSerialization serialization = new KubernetesSerialization();
    try (Stream<Path> files = Files.list(Path.of("."))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (String doc : Files.readString(f).split("(?m)^---\\s*$")) {
          if (doc.lines().anyMatch(l -> !l.isBlank() && !l.trim().startsWith("#"))) {
            HasMetadata r = serialization.unmarshal(doc, HasMetadata.class);
            assertThat(unknownFields(r)).as("fields the Kubernetes model does not know, in %s %s (%s)", r.getKind(),
                r.getMetadata().getName(), f).isEmpty();
            RESOURCES.add(r);
          }
        }
      }
    }
  }

  @Test
  void everyManifestIsKnownToTheModel() {
    assertThat(RESOURCES).extracting(HasMetadata::getKind)
        .contains("Namespace", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Service", "StatefulSet", "Deployment");
    assertThat(RESOURCES).allSatisfy(r -> {
      if (!r.getKind().equals("Namespace")) {
        assertThat(r.getMetadata().getNamespace()).as("%s %s", r.getKind(), r.getMetadata().getName()).isEqualTo("holdfast");
      }
    });
  }

  @Test
  void aTypoIsCaught() throws Exception {
    String typo = """
        apiVersion: v1
        kind: Service
        metadata:
          name: x
        spec:
          clusterIp: None
        """;
    HasMetadata r = new KubernetesSerialization().unmarshal(typo, HasMetadata.class);
    assertThat(unknownFields(r)).containsExactly("Service.spec.clusterIp");
  }

  @Test
  void theHeadlessServiceIsTheOneHazelcastDiscoveryAsksFor() {
    Config hz = ClusterConfigs.load("kubernetes", null, "$.cluster.config");
    String serviceName = hz.getNetworkConfig().getJoin().getKubernetesConfig().getProperty("service-name");
    Service headless = one(Service.class, serviceName);
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    StatefulSet nodes = one(StatefulSet.class, "holdfast-node");
    assertThat(nodes.getSpec().getServiceName()).isEqualTo(serviceName);
    assertThat(headless.getSpec().getSelector()).isEqualTo(nodes.getSpec().getTemplate().getMetadata().getLabels()
        .entrySet().stream().filter(e -> e.getKey().equals("app.kubernetes.io/name"))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    int hazelcastPort = hz.getNetworkConfig().getPort();
    assertThat(headless.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getPort()).isEqualTo(hazelcastPort));
    assertThat(container(nodes.getSpec().getTemplate()).getPorts())
        .anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(hazelcastPort));
  }

  @Test
  void theDiscoveryMayListWhatItNeeds() {
    Role role = one(Role.class, "holdfast-hazelcast-discovery");
    assertThat(role.getRules()).anySatisfy(rule -> {
      assertThat(rule.getResources()).contains("endpoints", "pods");
      assertThat(rule.getVerbs()).contains("get", "list");
    });
    RoleBinding binding = one(RoleBinding.class, "holdfast-hazelcast-discovery");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    String account = binding.getSubjects().get(0).getName();
    assertThat(one(StatefulSet.class, "holdfast-node").getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(account);
    assertThat(one(Deployment.class, "holdfast-simulator").getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(account);
  }

  @Test
  void theNodeConfigIsValidAndItsPortsAreTheContainers() {
    String json = one(ConfigMap.class, "holdfast-node").getData().get("node.json").replace("__POD_IP__", "10.0.0.7");
    NodeConfig cfg = NodeConfig.fromJson(new JsonObject(json));
    assertThat(cfg.urlHost()).isEqualTo("10.0.0.7");
    assertThat(cfg.cluster().config()).isEqualTo("kubernetes");
    PodTemplateSpec pod = one(StatefulSet.class, "holdfast-node").getSpec().getTemplate();
    Container c = container(pod);
    assertThat(c.getPorts()).anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(cfg.port()));
    assertThat(c.getPorts()).anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(cfg.adminPort()));
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", Integer.toString(cfg.adminPort())).containsEntry("prometheus.io/path", "/metrics");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(c.getArgs().get(0)).contains("__POD_IP__").contains("${POD_IP}").contains("holdfast node --config");
  }

  @Test
  void theGracePeriodCoversPreStopDrainAndLeaving() {
    String json = one(ConfigMap.class, "holdfast-node").getData().get("node.json").replace("__POD_IP__", "10.0.0.7");
    NodeConfig cfg = NodeConfig.fromJson(new JsonObject(json));
    PodSpec pod = one(StatefulSet.class, "holdfast-node").getSpec().getTemplate().getSpec();
    List<String> preStop = container(one(StatefulSet.class, "holdfast-node").getSpec().getTemplate())
        .getLifecycle().getPreStop().getExec().getCommand();
    long preStopSeconds = Long.parseLong(preStop.get(preStop.size() - 1).replaceAll("^.*sleep (\\d+).*$", "$1"));
    long needed = preStopSeconds + DRAIN_WINDOW.toSeconds() + cfg.closeTimeout().toSeconds() + NODE_STOP_MARGIN.toSeconds();
    assertThat(pod.getTerminationGracePeriodSeconds()).as("grace >= preStop %d s + drain window %d s + closeTimeout %d s"
            + " + leaving %d s", preStopSeconds, DRAIN_WINDOW.toSeconds(), cfg.closeTimeout().toSeconds(),
        NODE_STOP_MARGIN.toSeconds()).isGreaterThanOrEqualTo(needed);
    assertThat(cfg.closeTimeout()).isEqualTo(NodeConfig.DEFAULT_CLOSE_TIMEOUT);
  }

  @Test
  void theSimulatorConfigIsValidAndFindsItsTargetsInTheCluster() {
    String json = one(ConfigMap.class, "holdfast-simulator").getData().get("simulator.json");
    SimulatorConfig cfg = SimulatorConfig.fromJson(new JsonObject(json));
    assertThat(cfg.cluster().config()).isEqualTo("kubernetes");
    Deployment sims = one(Deployment.class, "holdfast-simulator");
    Container c = container(sims.getSpec().getTemplate());
    assertThat(c.getCommand()).containsSequence("simulate", "--config", "/etc/holdfast/simulator.json");
    assertThat(c.getPorts()).anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(cfg.adminPort()));
    assertThat(sims.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/port", Integer.toString(cfg.adminPort()));
    long grace = sims.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    assertThat(grace).isGreaterThan(cfg.closeTimeout().toSeconds());
  }

  private static Container container(PodTemplateSpec pod) {
    return pod.getSpec().getContainers().get(0);
  }

  private static <T extends HasMetadata> T one(Class<T> type, String name) {
    List<T> found = RESOURCES.stream().filter(type::isInstance).map(type::cast)
        .filter(r -> r.getMetadata().getName().equals(name)).toList();
    assertThat(found).as("%s %s in ops/kubernetes", type.getSimpleName(), name).hasSize(1);
    return found.get(0);
  }

  /**
   * The fabric8 model keeps fields it does not know in each object's additional properties instead
   * of failing; walks the parsed object and names every one, as {@code Kind.path.field}.
   */
  static List<String> unknownFields(HasMetadata r) {
    List<String> out = new ArrayList<>();
    walk(r, r.getKind(), out, new IdentityHashMap<>());
    return out;
  }

  private static void walk(Object o, String path, List<String> out, IdentityHashMap<Object, Boolean> seen) {
    if (o == null || seen.put(o, true) != null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        walk(e, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> walk(v, path + "." + k, out, seen));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    try {
      for (PropertyDescriptor p : Introspector.getBeanInfo(o.getClass(), Object.class).getPropertyDescriptors()) {
        Method read = p.getReadMethod();
        if (read == null) {
          continue;
        }
        Object v = read.invoke(o);
        if (p.getName().equals("additionalProperties") && v instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> out.add(path + "." + k));
        } else {
          walk(v, path + "." + p.getName(), out, seen);
        }
      }
    } catch (ReflectiveOperationException | java.beans.IntrospectionException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
