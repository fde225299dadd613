/**
 * Simulated connections: each verticle's tick loop ({@code SimulatorVerticle}), its seats
 * ({@code SeatPool}), the state machine that moves every connection and performs each move's side
 * effects ({@code ConnectionLife}, {@code ConnectionState}), the Netty handlers that report events
 * to it, and the counts ({@code SimulatorLedger}).
 */
package dev.holdfast.simulator.connection;
