package dev.holdfast.demo;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One demo's settings, after flags and the config file: the fleet's shape, the simulator config
 * every simulator starts from (validated), where the run's files go, and the jar to start.
 *
 * @param nodes echo-node processes
 * @param simulators simulator processes
 * @param connections the population
 * @param churn churn fraction per period
 * @param interval the message interval
 * @param duration how long the simulators hold the population, ramp included
 * @param simulatorJson the simulator config (a valid {@code simulate --config}), before the per-simulator fields
 * @param outDir the run folder: reports, child logs, children.json
 * @param jar holdfast.jar, which every child runs
 * @param ansi redraw the live view in place (stdout is a terminal)
 */
public record DemoSettings(int nodes, int simulators, long connections, ChurnRate churn, Duration interval,
    Duration duration, JsonObject simulatorJson, Path outDir, Path jar, boolean ansi) {
}
