/** Time and rates as pure logic: the churn policy, the handshake budget, the tick clock and the timing wheel. */
package dev.holdfast.simulator.schedule;
