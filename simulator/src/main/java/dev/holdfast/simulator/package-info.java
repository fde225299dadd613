/**
 * The simulator node: holds a churning population of WebSockets against echo nodes and checks
 * every echo. {@code SimulatorNode} composes the parts, each with one job: the Vert.x start-up
 * ({@code SimulatorStartup}), the share ({@code ShareController}), the ramp ({@code RampWatch}),
 * the kernel's and servers' counts ({@code RunCounts}), progress samples ({@code RunSampler}), the
 * end of the run ({@code RunEnding}) and the published state ({@code NodeState}).
 */
package dev.holdfast.simulator;
