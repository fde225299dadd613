/** The simulator fleet: holds a churning population of WebSockets against echo nodes and checks every echo. */
package dev.holdfast.simulator;
