/**
 * The simulator's configuration: JSON with a default for every field, validated with JSON paths.
 * {@code SimulatorConfig} composes one options class per nested object ({@code RampOptions},
 * {@code ChurnOptions}, {@code StormOptions}, {@code MessagesOptions}, {@code BackoffOptions},
 * {@code ReportOptions}); {@code holdfast-simulator.schema.json} beside the classes describes the
 * same fields as a JSON Schema.
 */
package dev.holdfast.simulator.config;
