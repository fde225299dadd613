/** What each message carries and how its echo is checked: content, loss, duplication, order. */
package dev.holdfast.simulator.echo;
