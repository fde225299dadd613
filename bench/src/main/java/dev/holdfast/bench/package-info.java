/** Benchmarks: baseline servers, load drivers and the harness that writes the README's tables. */
package dev.holdfast.bench;
