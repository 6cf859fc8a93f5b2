/**
 * jcstress tests of the ring buffer protocol as the port implements it, and the soak program.
 *
 * <p>May use: the JDK, jcstress, {@code dev.ringbench.os} (errno) and {@code dev.ringbench.ringbuf}
 * (through {@code StressRings}, which lives in that package to reach its package-private parts).
 */
package dev.ringbench.ringbuf.stress;
