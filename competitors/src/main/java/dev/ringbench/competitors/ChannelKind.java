package dev.ringbench.competitors;

import dev.ringbench.competitors.agrona.AgronaChannel;
import dev.ringbench.competitors.bpfringbuf.BpfRingBufChannel;
import dev.ringbench.competitors.disruptor.DisruptorChannel;
import dev.ringbench.competitors.jctools.JCToolsChannel;
import dev.ringbench.competitors.kernel.KernelPerfBufChannel;
import dev.ringbench.competitors.kernel.KernelRingBufChannel;
import dev.ringbench.competitors.perfbuf.PerfBufChannel;
import dev.ringbench.kernel.Kernel;

import java.util.List;

/**
 * Every channel variant the suite races, by name: a JMH {@code @Param} selects one, and
 * {@link #create(ChannelConfig)} builds it.
 */
public enum ChannelKind {
    /** The port, consumed with libbpf's loop (consumer_pos published per record). */
    BPF_RINGBUF_LIBBPF(Library.RINGBUF, new Capabilities(true, true, true, true, true, true)),
    /** The port, consumed with the kernel benchmark's batched loop ("rb-custom"). */
    BPF_RINGBUF_BATCHED(Library.RINGBUF, new Capabilities(true, true, true, true, true, true)),
    /** The per-producer perf-buffer analogue (spec section 10), libbpf-style consumer. */
    PERFBUF(Library.RINGBUF, new Capabilities(true, false, false, false, true, true)),
    /** LMAX Disruptor, multi-producer, {@code BlockingWaitStrategy}. */
    DISRUPTOR_BLOCKING(Library.DISRUPTOR, new Capabilities(false, true, true, true, true, true)),
    /** LMAX Disruptor, multi-producer, {@code LiteBlockingWaitStrategy}. */
    DISRUPTOR_LITE_BLOCKING(Library.DISRUPTOR, new Capabilities(false, true, true, true, true, true)),
    /** LMAX Disruptor, multi-producer, {@code SleepingWaitStrategy}. */
    DISRUPTOR_SLEEPING(Library.DISRUPTOR, new Capabilities(false, true, true, true, false, true)),
    /** LMAX Disruptor, multi-producer, {@code YieldingWaitStrategy}. */
    DISRUPTOR_YIELDING(Library.DISRUPTOR, new Capabilities(false, true, true, true, false, true)),
    /** LMAX Disruptor, multi-producer, {@code BusySpinWaitStrategy}. */
    DISRUPTOR_BUSYSPIN(Library.DISRUPTOR, new Capabilities(false, true, true, true, false, true)),
    /** JCTools {@code MpscArrayQueue} of pooled events; the consumer spins, then yields, then parks briefly. */
    JCTOOLS_MPSC(Library.JCTOOLS, new Capabilities(false, false, false, true, false, true)),
    /** JCTools {@code MpscBlockingConsumerArrayQueue} of pooled events; the consumer parks until woken. */
    JCTOOLS_MPSC_BLOCKING(Library.JCTOOLS, new Capabilities(false, false, false, true, true, true)),
    /** Agrona {@code ManyToOneRingBuffer}; the consumer waits with {@code BackoffIdleStrategy}. */
    AGRONA_MANY_TO_ONE(Library.AGRONA, new Capabilities(true, true, true, true, false, true)),
    /** Agrona {@code OneToOneRingBuffer}: the single-producer reference; {@code BackoffIdleStrategy}. */
    AGRONA_ONE_TO_ONE(Library.AGRONA, new Capabilities(true, true, true, true, false, false)),
    /**
     * The real kernel's BPF ring buffer map, fed by BPF programs under {@code BPF_PROG_TEST_RUN},
     * consumed by the port's consumer with libbpf's loop, waiting in epoll. Copy-only: a kernel
     * reservation cannot outlive its program run. Needs Linux and bpf(2) permission.
     */
    KERNEL_RINGBUF_LIBBPF(Library.KERNEL, KernelRingBufChannel.CAPABILITIES),
    /** As {@link #KERNEL_RINGBUF_LIBBPF}, consumed with the kernel benchmark's batched loop ("rb-custom"). */
    KERNEL_RINGBUF_BATCHED(Library.KERNEL, KernelRingBufChannel.CAPABILITIES),
    /**
     * The real kernel's perf buffer (a perf event array, one ring per CPU), producer {@code i}
     * pinned to a CPU's ring, consumed by the analogue's {@code PerfBuffer} waiting in epoll.
     */
    KERNEL_PERFBUF(Library.KERNEL, KernelPerfBufChannel.CAPABILITIES);

    /** Which library a kind comes from, and the JVM flags that library needs on Java 25. */
    public enum Library {
        RINGBUF(List.of("--enable-native-access=ALL-UNNAMED")),
        DISRUPTOR(List.of()),
        JCTOOLS(List.of("--sun-misc-unsafe-memory-access=allow")),
        AGRONA(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED")),
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

    ChannelKind(Library library, Capabilities capabilities) {
        this.library = library;
        this.capabilities = capabilities;
    }

    /**
     * What channels of this kind can do, known without building one (the conformance suite checks
     * that every adapter declares the same).
     */
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
        return switch (this) {
            case BPF_RINGBUF_LIBBPF, BPF_RINGBUF_BATCHED -> BpfRingBufChannel.create(this, config);
            case PERFBUF -> PerfBufChannel.create(this, config);
            case DISRUPTOR_BLOCKING, DISRUPTOR_LITE_BLOCKING, DISRUPTOR_SLEEPING, DISRUPTOR_YIELDING,
                 DISRUPTOR_BUSYSPIN -> DisruptorChannel.create(this, config);
            case JCTOOLS_MPSC, JCTOOLS_MPSC_BLOCKING -> JCToolsChannel.create(this, config);
            case AGRONA_MANY_TO_ONE, AGRONA_ONE_TO_ONE -> AgronaChannel.create(this, config);
            case KERNEL_RINGBUF_LIBBPF, KERNEL_RINGBUF_BATCHED -> KernelRingBufChannel.create(this, config);
            case KERNEL_PERFBUF -> KernelPerfBufChannel.create(this, config);
        };
    }
}
