/** What the kernel says about the simulator's sockets: the independent count beside its own. */
package dev.holdfast.simulator.kernel;
