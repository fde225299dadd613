/** Connection errors, classified and counted. */
package dev.holdfast.simulator.errors;
