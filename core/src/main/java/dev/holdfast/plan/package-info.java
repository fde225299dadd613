/**
 * {@code holdfast plan}'s arithmetic: from measured per-connection costs ({@link dev.holdfast.plan.Costs}),
 * a target population ({@link dev.holdfast.plan.Target}) and machine shapes
 * ({@link dev.holdfast.plan.NodeShape}), how many echo nodes, simulators and Hazelcast cells a fleet
 * needs and which resource binds each ({@link dev.holdfast.plan.FleetPlanner}).
 */
package dev.holdfast.plan;
