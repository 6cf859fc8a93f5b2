package dev.ringbench.competitors.kernel;

import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.competitors.WakeupPolicy;
import dev.ringbench.kernel.BpfProgram;
import dev.ringbench.kernel.IoMap;
import dev.ringbench.kernel.KernelRingBuf;
import dev.ringbench.kernel.RingPrograms;
import dev.ringbench.kernel.TestRun;
import dev.ringbench.ringbuf.BpfRingBuf;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One producer of a {@link KernelRingBufChannel}: its own {@link IoMap} (payload, length, flags in,
 * result and counts out), its own prepared {@link TestRun}, and its programs: one
 * {@code bpf_ringbuf_output} program for every length, and, in reserve mode, one
 * reserve + copy + submit program per record length (the verifier wants a constant size for
 * {@code bpf_ringbuf_reserve}), loaded on first use. An offer allocates nothing once the program
 * for its length is loaded.
 *
 * <p>Wake-up policies: ADAPTIVE, FORCE and NO_WAKEUP pass flags 0, 2 and 1; EVERY_NTH sets
 * FORCE on every N-th offer and NO_WAKEUP otherwise; SAMPLED runs programs that call
 * {@code bpf_ringbuf_query(BPF_RB_AVAIL_DATA)} and pass FORCE_WAKEUP at {@code N * 16} bytes,
 * NO_WAKEUP below, as the kernel benchmark's {@code --rb-sampled}.
 */
public final class KernelRingBufProducer implements ChannelProducer, AutoCloseable {
    private static final long SAMPLED_RECORD_BYTES = 16;
    private static final int EINTR = 4;

    private final KernelRingBuf ring;
    private final int id;
    private final int maxPayload;
    private final WakeupPolicy policy;
    private final long wakeupN;
    private final PerProducerCounter drops;
    private final IoMap io;
    private final MemorySegment value;
    private final TestRun run = new TestRun();
    private final BpfProgram output;
    private final Map<Integer, BpfProgram> reservePrograms = new HashMap<>();
    private final RingPrograms.FlagsMode flagsMode;
    private boolean useReserve;
    private long offered;

    KernelRingBufProducer(KernelRingBuf ring, int id, int maxPayload, WakeupPolicy policy, int wakeupN,
                          PerProducerCounter drops) {
        this.ring = ring;
        this.id = id;
        this.maxPayload = maxPayload;
        this.policy = policy;
        this.wakeupN = wakeupN;
        this.drops = drops;
        this.flagsMode = policy == WakeupPolicy.SAMPLED ? RingPrograms.FlagsMode.SAMPLED : RingPrograms.FlagsMode.FROM_IO;
        this.io = IoMap.create(RingPrograms.ioSize(maxPayload));
        this.value = io.value();
        value.set(JAVA_LONG, RingPrograms.THRESHOLD, wakeupN * SAMPLED_RECORD_BYTES);
        value.set(JAVA_LONG, RingPrograms.FLAGS, switch (policy) {
            case FORCE -> BpfRingBuf.BPF_RB_FORCE_WAKEUP;
            case NO_WAKEUP -> BpfRingBuf.BPF_RB_NO_WAKEUP;
            default -> 0;
        });
        try {
            this.output = BpfProgram.load(RingPrograms.output(ring.fd(), io, maxPayload, flagsMode), "rb_output");
        } catch (RuntimeException e) {
            io.close();
            run.close();
            throw e;
        }
    }

    /** Whether offers reserve, copy and submit inside the program (true) or call {@code bpf_ringbuf_output} (false). */
    public void useReserve(boolean reserve) {
        this.useReserve = reserve;
    }

    @Override
    public boolean tryClaim(int length) {
        throw new UnsupportedOperationException("a kernel ring buffer reservation cannot outlive its program run: offer only");
    }

    @Override
    public MemorySegment buffer() {
        throw new UnsupportedOperationException("offer only");
    }

    @Override
    public long offset() {
        throw new UnsupportedOperationException("offer only");
    }

    @Override
    public void commit() {
        throw new UnsupportedOperationException("offer only");
    }

    @Override
    public void abort() {
        throw new UnsupportedOperationException("a kernel ring buffer reservation cannot outlive its program run: no discard");
    }

    @Override
    public boolean offer(MemorySegment src, long srcOffset, int length) {
        return offerBatch(src, srcOffset, length, 1) == 1;
    }

    /**
     * Emits {@code count} copies of one record with a single {@code BPF_PROG_TEST_RUN} whose
     * {@code repeat} is {@code count} (the kernel benchmark's batch of {@code --rb-batch-cnt}).
     *
     * @return records placed; the rest were dropped (counted)
     */
    public int offerBatch(MemorySegment src, long srcOffset, int length, int count) {
        if (length < 0 || length > maxPayload) {
            throw new IllegalArgumentException("length " + length + " outside [0, " + maxPayload + "]");
        }
        MemorySegment.copy(src, srcOffset, value, RingPrograms.PAYLOAD, length);
        value.set(JAVA_LONG, RingPrograms.LEN, length);
        if (policy == WakeupPolicy.EVERY_NTH) {
            value.set(JAVA_LONG, RingPrograms.FLAGS, (offered += count) / wakeupN > (offered - count) / wakeupN
                    ? BpfRingBuf.BPF_RB_FORCE_WAKEUP : BpfRingBuf.BPF_RB_NO_WAKEUP);
        }
        BpfProgram prog = useReserve ? reserveProgram(length) : output;
        long hits0 = value.get(JAVA_LONG, RingPrograms.HITS);
        long r;
        do {
            r = run.run(prog, count);
        } while (r == -EINTR);
        if (r < 0) {
            throw new IllegalStateException("BPF_PROG_TEST_RUN failed: errno " + -r);
        }
        int placed = (int) (value.get(JAVA_LONG, RingPrograms.HITS) - hits0);
        for (int i = placed; i < count; i++) {
            drops.increment(id);
        }
        return placed;
    }

    private BpfProgram reserveProgram(int length) {
        BpfProgram p = reservePrograms.get(length);
        if (p == null) {
            p = BpfProgram.load(RingPrograms.reserveCommit(ring.fd(), io, length, false, flagsMode), "rb_reserve");
            reservePrograms.put(length, p);
        }
        return p;
    }

    /** Records this producer placed, as its programs counted them. */
    public long hits() {
        return value.get(JAVA_LONG, RingPrograms.HITS);
    }

    @Override
    public void close() {
        output.close();
        reservePrograms.values().forEach(BpfProgram::close);
        run.close();
        io.close();
    }
}
