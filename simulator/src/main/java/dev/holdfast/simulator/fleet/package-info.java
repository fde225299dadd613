/** The simulator fleet: who is in it, and each member's share of the population. */
package dev.holdfast.simulator.fleet;
