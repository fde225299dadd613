/** The simulator's configuration: JSON with a default for every field, validated with JSON paths. */
package dev.holdfast.simulator.config;
