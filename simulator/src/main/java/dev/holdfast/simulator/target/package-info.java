/** Where connections go: the echo nodes, their load and backoff, and the servers' own count. */
package dev.holdfast.simulator.target;
