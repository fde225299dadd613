package dev.holdfast.plan;

import java.util.Map;

/**
 * How many machines of one role the fleet needs, and why.
 *
 * @param role {@code node} or {@code simulator}
 * @param shape the machine each runs on
 * @param capacity connections one machine can hold under each resource, headroom taken off
 * @param binding the resource with the smallest capacity: what to buy more of to need fewer machines
 * @param perMachine connections each machine holds: the binding capacity
 * @param machines machines needed for the target
 */
public record RolePlan(String role, NodeShape shape, Map<Resource, Long> capacity, Resource binding, long perMachine,
    long machines) {
}
