/** Simulated connections: their states, the verticles that open, message and close them on Netty pipelines, and their counts. */
package dev.holdfast.simulator.connection;
