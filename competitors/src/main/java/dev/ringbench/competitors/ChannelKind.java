package dev.ringbench.competitors;

import dev.ringbench.competitors.agrona.AgronaChannel;
import dev.ringbench.competitors.bpfringbuf.BpfRingBufChannel;
import dev.ringbench.competitors.disruptor.DisruptorChannel;
import dev.ringbench.competitors.jctools.JCToolsChannel;
import dev.ringbench.competitors.kernel.KernelPerfBufChannel;
import dev.ringbench.competitors.kernel.KernelRingBufChannel;
import dev.ringbench.competitors.perfbuf.PerfBufChannel;
import dev.ringbench.kernel.Kernel;
import dev.ringbench.ringbuf.Ring;

import java.util.EnumSet;
import java.util.List;

import static dev.ringbench.competitors.Capability.BLOCKING_CONSUMER;
import static dev.ringbench.competitors.Capability.DISCARD;
import static dev.ringbench.competitors.Capability.GLOBAL_ORDER;
import static dev.ringbench.competitors.Capability.MULTI_PRODUCER;
import static dev.ringbench.competitors.Capability.RESERVE_COMMIT;
import static dev.ringbench.competitors.Capability.VARIABLE_LENGTH;

/**
 * Every channel variant the suite races, by name: a JMH {@code @Param} selects one, and
 * {@link #create(ChannelConfig)} builds it. Each kind states, once, what its channels can do (its
 * {@link Capability}s, known without building one) and how to build them: an adapter's factory
 * with the variant it takes (consumer loop, wait strategy, queue, producer count). The adapters
 * know nothing of this enum: the factory hands them the kind's capabilities.
 */
public enum ChannelKind {
    /** The port, consumed with libbpf's loop (consumer_pos published per record). */
    BPF_RINGBUF_LIBBPF(Library.RINGBUF, EnumSet.allOf(Capability.class),
            (config, caps) -> BpfRingBufChannel.create(config, caps, Ring.Mode.LIBBPF)),
    /** The port, consumed with the kernel benchmark's batched loop ("rb-custom"). */
    BPF_RINGBUF_BATCHED(Library.RINGBUF, EnumSet.allOf(Capability.class),
            (config, caps) -> BpfRingBufChannel.create(config, caps, Ring.Mode.BATCHED)),
    /** The per-producer perf-buffer analogue (spec section 10), libbpf-style consumer. */
    PERFBUF(Library.RINGBUF, EnumSet.of(VARIABLE_LENGTH, BLOCKING_CONSUMER, MULTI_PRODUCER), PerfBufChannel::create),
    /** LMAX Disruptor, multi-producer, {@code BlockingWaitStrategy}. */
    DISRUPTOR_BLOCKING(Library.DISRUPTOR, EnumSet.of(RESERVE_COMMIT, DISCARD, GLOBAL_ORDER, BLOCKING_CONSUMER, MULTI_PRODUCER),
            (config, caps) -> DisruptorChannel.create(config, caps, DisruptorChannel.Wait.BLOCKING)),
    /** LMAX Disruptor, multi-producer, {@code LiteBlockingWaitStrategy}. */
    DISRUPTOR_LITE_BLOCKING(Library.DISRUPTOR, EnumSet.of(RESERVE_COMMIT, DISCARD, GLOBAL_ORDER, BLOCKING_CONSUMER, MULTI_PRODUCER),
            (config, caps) -> DisruptorChannel.create(config, caps, DisruptorChannel.Wait.LITE_BLOCKING)),
    /** LMAX Disruptor, multi-producer, {@code SleepingWaitStrategy}. */
    DISRUPTOR_SLEEPING(Library.DISRUPTOR, EnumSet.of(RESERVE_COMMIT, DISCARD, GLOBAL_ORDER, MULTI_PRODUCER),
            (config, caps) -> DisruptorChannel.create(config, caps, DisruptorChannel.Wait.SLEEPING)),
    /** LMAX Disruptor, multi-producer, {@code YieldingWaitStrategy}. */
    DISRUPTOR_YIELDING(Library.DISRUPTOR, EnumSet.of(RESERVE_COMMIT, DISCARD, GLOBAL_ORDER, MULTI_PRODUCER),
            (config, caps) -> DisruptorChannel.create(config, caps, DisruptorChannel.Wait.YIELDING)),
    /** LMAX Disruptor, multi-producer, {@code BusySpinWaitStrategy}. */
    DISRUPTOR_BUSYSPIN(Library.DISRUPTOR, EnumSet.of(RESERVE_COMMIT, DISCARD, GLOBAL_ORDER, MULTI_PRODUCER),
            (config, caps) -> DisruptorChannel.create(config, caps, DisruptorChannel.Wait.BUSYSPIN)),
    /** JCTools {@code MpscArrayQueue} of pooled events; the consumer spins, then yields, then parks briefly. */
    JCTOOLS_MPSC(Library.JCTOOLS, EnumSet.of(GLOBAL_ORDER, MULTI_PRODUCER),
            (config, caps) -> JCToolsChannel.create(config, caps, JCToolsChannel.Queue.MPSC)),
    /** JCTools {@code MpscBlockingConsumerArrayQueue} of pooled events; the consumer parks until woken. */
    JCTOOLS_MPSC_BLOCKING(Library.JCTOOLS, EnumSet.of(GLOBAL_ORDER, BLOCKING_CONSUMER, MULTI_PRODUCER),
            (config, caps) -> JCToolsChannel.create(config, caps, JCToolsChannel.Queue.MPSC_BLOCKING)),
    /** Agrona {@code ManyToOneRingBuffer}; the consumer waits with {@code BackoffIdleStrategy}. */
    AGRONA_MANY_TO_ONE(Library.AGRONA, EnumSet.of(VARIABLE_LENGTH, RESERVE_COMMIT, DISCARD, GLOBAL_ORDER, MULTI_PRODUCER),
            (config, caps) -> AgronaChannel.create(config, caps, AgronaChannel.Producers.MANY_TO_ONE)),
    /** Agrona {@code OneToOneRingBuffer}: the single-producer reference; {@code BackoffIdleStrategy}. */
    AGRONA_ONE_TO_ONE(Library.AGRONA, EnumSet.of(VARIABLE_LENGTH, RESERVE_COMMIT, DISCARD, GLOBAL_ORDER),
            (config, caps) -> AgronaChannel.create(config, caps, AgronaChannel.Producers.ONE_TO_ONE)),
    /**
     * The real kernel's BPF ring buffer map, fed by BPF programs under {@code BPF_PROG_TEST_RUN},
     * consumed by the port's consumer with libbpf's loop, waiting in epoll. Copy-only: a kernel
     * reservation cannot outlive its program run. Needs Linux and bpf(2) permission.
     */
    KERNEL_RINGBUF_LIBBPF(Library.KERNEL, EnumSet.of(VARIABLE_LENGTH, GLOBAL_ORDER, BLOCKING_CONSUMER, MULTI_PRODUCER),
            (config, caps) -> KernelRingBufChannel.create(config, caps, Ring.Mode.LIBBPF)),
    /** As {@link #KERNEL_RINGBUF_LIBBPF}, consumed with the kernel benchmark's batched loop ("rb-custom"). */
    KERNEL_RINGBUF_BATCHED(Library.KERNEL, EnumSet.of(VARIABLE_LENGTH, GLOBAL_ORDER, BLOCKING_CONSUMER, MULTI_PRODUCER),
            (config, caps) -> KernelRingBufChannel.create(config, caps, Ring.Mode.BATCHED)),
    /**
     * The real kernel's perf buffer (a perf event array, one ring per CPU), producer {@code i}
     * pinned to a CPU's ring, consumed by the analogue's {@code PerfBuffer} waiting in epoll.
     */
    KERNEL_PERFBUF(Library.KERNEL, EnumSet.of(VARIABLE_LENGTH, BLOCKING_CONSUMER, MULTI_PRODUCER),
            KernelPerfBufChannel::create);

    /** How an adapter builds a channel of a kind: from the config, reporting the kind's capabilities. */
    @FunctionalInterface
    interface Factory {
        Channel create(ChannelConfig config, Capabilities capabilities);
    }

    /** Which library a kind comes from, and the JVM flags that library needs on Java 25. */
    public enum Library {
        /** The port and the analogue: FFM, and jdk.internal.misc for the port's unchecked hot path (MappedAtomics). */
        RINGBUF(List.of("--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")),
        DISRUPTOR(List.of()),
        JCTOOLS(List.of("--sun-misc-unsafe-memory-access=allow")),
        AGRONA(List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")),
        /** The real kernel through FFM (module {@code kernel}): bpf(2), mmap, epoll. */
        KERNEL(List.of("--enable-native-access=ALL-UNNAMED"));

        private final List<String> jvmArgs;

        Library(List<String> jvmArgs) {
            this.jvmArgs = jvmArgs;
        }

        /** The JVM flags this library needs, and nothing else. */
        public List<String> jvmArgs() {
            return jvmArgs;
        }
    }

    private final Library library;
    private final Capabilities capabilities;
    private final Factory factory;

    ChannelKind(Library library, EnumSet<Capability> capabilities, Factory factory) {
        this.library = library;
        this.capabilities = Capabilities.of(capabilities);
        this.factory = factory;
    }

    /** What channels of this kind can do, known without building one; its channels report the same. */
    public Capabilities capabilities() {
        return capabilities;
    }

    /** The library behind this kind. */
    public Library library() {
        return library;
    }

    /**
     * Null when channels of this kind can be built here; otherwise one line saying why not (the
     * kernel kinds need Linux and permission to use bpf(2)). Scenarios leave such kinds out and
     * record the reason.
     */
    public String unavailableReason() {
        return library == Library.KERNEL ? Kernel.unavailableReason() : null;
    }

    /** Builds a channel of this kind. */
    public Channel create(ChannelConfig config) {
        return factory.create(config, capabilities);
    }
}
