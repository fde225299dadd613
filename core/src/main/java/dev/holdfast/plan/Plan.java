package dev.holdfast.plan;

import java.util.List;

/**
 * A sized fleet: echo nodes, simulator nodes, Hazelcast cells, and every assumption behind them.
 *
 * @param target the population
 * @param headroom the share of every resource kept free (0.3 = 30%)
 * @param costs the per-connection costs used
 * @param nodes the echo nodes
 * @param simulators the simulator nodes
 * @param membersPerCell the largest Hazelcast cluster the cluster-view benchmark held correct
 * @param nodeCells cells (Hazelcast clusters) for the echo nodes
 * @param cellsWithSimulators cells when the simulators are members of their nodes' clusters (as they are by default)
 * @param handshakesPerSecond fleet-wide handshakes a second from churn
 * @param messagesPerSecond fleet-wide messages (and echoes) a second
 * @param assumptions what the numbers rest on beyond the costs, each with its source
 */
public record Plan(Target target, double headroom, Costs costs, RolePlan nodes, RolePlan simulators, long membersPerCell,
    long nodeCells, long cellsWithSimulators, double handshakesPerSecond, double messagesPerSecond, List<String> assumptions) {
}
