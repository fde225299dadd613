package dev.holdfast.cluster;

import io.vertx.core.json.JsonObject;

/**
 * What one holdfast process tells the cluster every publish interval: who it is, where its
 * WebSockets are, and its counts, both its own and the kernel's.
 *
 * @param nodeId the holdfast node id (hostname-pid by default)
 * @param memberId the Hazelcast member id, so a member-left event can drop the snapshot at once
 * @param role {@code node} for echo nodes, {@code simulator} for simulator nodes
 * @param wsUrl the node's WebSocket URL (empty for a simulator)
 * @param held connections held now, by the process's own count
 * @param opened connections opened since start
 * @param closed connections closed since start
 * @param rejected handshakes refused since start
 * @param osEstablished established sockets as the kernel counts them (-1 if unknown)
 * @param publishedAtMs wall-clock time of publication, epoch milliseconds
 * @param phase a simulator's phase of its run ({@code hold}, {@code settle}, {@code settled},
 *     {@code counted}, {@code close}, {@code done}), so the fleet can take its final counts at one
 *     settled instant; empty for echo nodes
 * @param holdEndsAtMs when a simulator's hold is planned to end, epoch milliseconds (0 = unknown)
 */
public record NodeSnapshot(String nodeId, String memberId, String role, String wsUrl, long held, long opened,
    long closed, long rejected, long osEstablished, long publishedAtMs, String phase, long holdEndsAtMs) {

  public static final String ROLE_NODE = "node";
  public static final String ROLE_SIMULATOR = "simulator";

  /** A snapshot without a run phase: an echo node's. */
  public NodeSnapshot(String nodeId, String memberId, String role, String wsUrl, long held, long opened, long closed,
      long rejected, long osEstablished, long publishedAtMs) {
    this(nodeId, memberId, role, wsUrl, held, opened, closed, rejected, osEstablished, publishedAtMs, "", 0);
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject()
        .put("nodeId", nodeId).put("memberId", memberId).put("role", role).put("wsUrl", wsUrl)
        .put("held", held).put("opened", opened).put("closed", closed).put("rejected", rejected)
        .put("osEstablished", osEstablished).put("publishedAtMs", publishedAtMs);
    if (phase != null && !phase.isEmpty()) { // only simulators have one: a node's snapshot is unchanged
      j.put("phase", phase).put("holdEndsAtMs", holdEndsAtMs);
    }
    return j;
  }

  public static NodeSnapshot fromJson(JsonObject j) {
    return new NodeSnapshot(j.getString("nodeId"), j.getString("memberId"), j.getString("role"), j.getString("wsUrl", ""),
        j.getLong("held", 0L), j.getLong("opened", 0L), j.getLong("closed", 0L), j.getLong("rejected", 0L),
        j.getLong("osEstablished", -1L), j.getLong("publishedAtMs", 0L), j.getString("phase", ""),
        j.getLong("holdEndsAtMs", 0L));
  }

  /** This snapshot as published now. */
  public NodeSnapshot at(long nowMs) {
    return new NodeSnapshot(nodeId, memberId, role, wsUrl, held, opened, closed, rejected, osEstablished, nowMs, phase,
        holdEndsAtMs);
  }

  /** This snapshot as published now by Hazelcast member {@code member}. */
  NodeSnapshot by(String member, long nowMs) {
    return new NodeSnapshot(nodeId, member, role, wsUrl, held, opened, closed, rejected, osEstablished, nowMs, phase,
        holdEndsAtMs);
  }
}
