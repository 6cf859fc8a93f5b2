/**
 * The per-producer perf-buffer analogue (spec section 10): the BPF program's
 * {@code bpf_perf_event_output} into one perf ring per CPU, here per producer, and libbpf's
 * {@code perf_buffer} consumer over all of them.
 *
 * <table>
 *   <caption>Where each rule lives</caption>
 *   <tr><th>kernel / libbpf</th><th>Java</th></tr>
 *   <tr><td>{@code struct perf_event_mmap_page}, {@code struct perf_event_header}, SAMPLE/LOST records</td>
 *       <td>{@link dev.ringbench.perfbuf.PerfBufDescriptor}</td></tr>
 *   <tr><td>{@code perf_output_begin}/{@code _sample}/{@code _end}, {@code perf_output_wakeup}, {@code rb->lost}</td>
 *       <td>{@link dev.ringbench.perfbuf.PerfRing#output}</td></tr>
 *   <tr><td>{@code perf_poll} ({@code rb->poll}), {@code epoll_wait}</td>
 *       <td>{@code PortPerfWaitSet} ({@code os}'s {@link dev.ringbench.os.PollWaiter}), {@link dev.ringbench.perfbuf.PerfBuffer#poll}</td></tr>
 *   <tr><td>{@code perf_buffer__poll/consume/consume_buffer}, {@code perf_event_read_simple}</td>
 *       <td>{@link dev.ringbench.perfbuf.PerfBuffer}</td></tr>
 *   <tr><td>the suite's {@code Channel}</td>
 *       <td>{@code dev.ringbench.competitors.perfbuf.PerfBufChannel} (module {@code competitors})</td></tr>
 * </table>
 *
 * <p>Deviations, each explained where it lives: {@code raw_size} holds the exact payload length
 * (the kernel's includes the padding); one producer thread per ring, so no nesting and a plain
 * head; the {@code data_tail} load is an acquire instead of a control dependency; the wake-up work
 * runs inline; Java input is checked (-EINVAL, -E2BIG, {@link IndexOutOfBoundsException}) and the
 * consumer rejects impossible headers with -EINVAL; {@code consume} returns a sample count and
 * {@code consumeN} is an addition.
 *
 * <p>May use: the JDK and {@code dev.ringbench.os} (memory ordering, errno, the poll waiter).
 * Used by: {@code competitors} (the {@code PERFBUF} channel), {@code kernel} (the kernel's perf
 * rings are drained through {@link dev.ringbench.perfbuf.PerfRingSource}) and {@code benches}.
 */
package dev.ringbench.perfbuf;
