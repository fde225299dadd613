/** The run's timeline, the progress line and the final report as text, JSON and HTML. */
package dev.holdfast.simulator.report;
