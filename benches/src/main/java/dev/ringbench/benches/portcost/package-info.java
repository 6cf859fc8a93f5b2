/**
 * The port's own per-record cost, apart from the suite's scenarios: {@code PortCostBenchmark}
 * splits a record's round trip into reserve+submit, the consuming loop alone (libbpf's and the
 * batched one), the two together, and the same round trip through the competitors' adapter, so the
 * adapter's share is a number. Run with {@code java -jar benches.jar jmh PortCost -f 3 -prof gc}.
 *
 * <p>May use: the JDK, JMH, {@code dev.ringbench.ringbuf} (public API only),
 * {@code dev.ringbench.competitors} (the channel factory) and {@code dev.ringbench.benches.support}
 * (the scenarios' sender and reader). Not a suite scenario: it declares no {@code Scenario}, so
 * {@code list} and {@code run} do not see it.
 */
package dev.ringbench.benches.portcost;
