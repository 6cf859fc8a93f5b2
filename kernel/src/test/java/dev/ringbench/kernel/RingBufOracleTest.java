package dev.ringbench.kernel;

import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.RingSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_AVAIL_DATA;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_CONS_POS;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_FORCE_WAKEUP;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_NO_WAKEUP;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_OVERWRITE_POS;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_PROD_POS;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_RING_SIZE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The differential oracle: the same helper-call sequences ({@link RingScript}) run on the port's
 * {@link BpfRingBuf} and, as a BPF program under {@code BPF_PROG_TEST_RUN}, on a real
 * {@code BPF_MAP_TYPE_RINGBUF} map of the running kernel; then the consumer page, the producer
 * page and the data bytes are compared byte for byte, and so are the helpers' results. Consuming
 * is done on both by the same {@link RingBufConsumer}; what it delivers is compared too.
 */
class RingBufOracleTest {
    static final int PAYLOAD_BYTES = 16384;

    @BeforeEach
    void kernel() {
        KernelAssumptions.assumeKernel();
    }

    /** The port ring and the kernel ring side by side, fed the same scripts. */
    static final class Twin implements AutoCloseable {
        final long size;
        final BpfRingBuf port;
        final KernelRingBuf kern;
        final IoMap io = IoMap.create(RingScript.ioSize(PAYLOAD_BYTES));
        final TestRun run = new TestRun();
        final MemorySegment payload;
        int steps;

        Twin(long size) {
            this.size = size;
            this.port = BpfRingBuf.create(size);
            this.kern = KernelRingBuf.create(size);
            this.payload = io.value().asSlice(RingScript.PAYLOAD_BASE, PAYLOAD_BYTES);
            for (int i = 0; i < PAYLOAD_BYTES; i++) {
                payload.set(JAVA_BYTE, i, (byte) (i * 131 + (i >>> 8) * 7 + 1));
            }
        }

        /** Runs the script on both, compares the results and the memory. */
        long[] run(RingScript s) {
            long[] k = runWithoutMemoryCompare(s);
            compare("after " + s);
            return k;
        }

        /** Runs the script on both and compares the results only (a concurrent consumer may be moving). */
        long[] runWithoutMemoryCompare(RingScript s) {
            steps++;
            long[] k;
            try (BpfProgram p = BpfProgram.load(s.compile(kern.fd(), io), "oracle")) {
                k = s.runOnKernel(p, io, run);
            }
            long[] j = s.runOnPort(port, payload);
            if (!Arrays.equals(k, j)) {
                fail("step " + steps + ": helper results differ for " + s + "\n kernel " + Arrays.toString(k)
                        + "\n port   " + Arrays.toString(j));
            }
            return k;
        }

        /** Consumes up to {@code n} records on both with the same consumer code; compares what was delivered. */
        int consume(long n, Ring.Mode mode) {
            List<String> fromKernel = new ArrayList<>();
            List<String> fromPort = new ArrayList<>();
            int rk = consume(kern, n, mode, fromKernel);
            int rp = consume(port, n, mode, fromPort);
            assertEquals(rk, rp, "consume(" + n + ") result");
            assertEquals(fromKernel, fromPort, "records delivered");
            compare("after consume(" + n + ")");
            return rk;
        }

        private static int consume(RingSource src, long n, Ring.Mode mode, List<String> out) {
            HexFormat hex = HexFormat.of();
            try (RingBufConsumer c = RingBufConsumer.create(src, (d, off, len) -> {
                out.add(len + ":" + hex.formatHex(d.asSlice(off, len).toArray(JAVA_BYTE)));
                return 0;
            }, mode)) {
                return c.consumeN(n);
            }
        }

        void setConsumerPos(long v) {
            kern.consumerPage().set(JAVA_LONG, 0, v);
            port.consumerPage().set(JAVA_LONG, 0, v);
            compare("after consumer_pos = " + v);
        }

        void compare(String when) {
            diff("consumer page", kern.consumerPage(), port.consumerPage(), when);
            diff("producer page", kern.producerPage(), port.producerPage(), when);
            diff("data", kern.data().asSlice(0, size), port.data().asSlice(0, size), when);
            // both map the data pages twice
            diff("kernel double mapping", kern.data().asSlice(0, size), kern.data().asSlice(size, size), when);
            diff("port double mapping", port.data().asSlice(0, size), port.data().asSlice(size, size), when);
        }

        private void diff(String what, MemorySegment k, MemorySegment p, String when) {
            long at = k.mismatch(p);
            if (at >= 0) {
                long w = at & ~7L;
                fail("step " + steps + " " + when + ": " + what + " differs at byte " + at + " (u64 at " + w
                        + ": kernel 0x" + Long.toHexString(k.get(JAVA_LONG, w)) + ", port 0x"
                        + Long.toHexString(p.get(JAVA_LONG, w)) + ")");
            }
        }

        long prodPos() {
            return kern.producerPage().get(JAVA_LONG, 0);
        }

        @Override
        public void close() {
            run.close();
            io.close();
            kern.close();
            port.close();
        }
    }

    @Test
    void freshMapsAreIdentical() {
        try (Twin t = new Twin(4096)) {
            t.compare("at creation");
        }
    }

    @Test
    void outputsReservesDiscardsAndQueries() {
        try (Twin t = new Twin(16384)) {
            t.run(new RingScript().output(8, 0, 0).output(13, 100, BPF_RB_NO_WAKEUP).output(0, 0, BPF_RB_FORCE_WAKEUP)
                    .query(BPF_RB_AVAIL_DATA).query(BPF_RB_RING_SIZE).query(BPF_RB_CONS_POS).query(BPF_RB_PROD_POS)
                    .query(BPF_RB_OVERWRITE_POS).query(99));
            // interleaved: reserve A, reserve B, submit B first, then discard A
            t.run(new RingScript().reserve(0, 24, 7).reserve(1, 5, 300).query(BPF_RB_AVAIL_DATA)
                    .submit(1, 0).discard(0, BPF_RB_NO_WAKEUP).output(1, 9, 0));
            // unknown output flag bits: -EINVAL in both; 3 (both wake-up bits) is accepted
            long[] r = t.run(new RingScript().output(8, 0, 4).output(8, 0, 3));
            assertEquals(-22, r[0]);
            assertEquals(0, r[1]);
            assertEquals(6, t.consume(100, Ring.Mode.LIBBPF));
            t.run(new RingScript().query(BPF_RB_AVAIL_DATA).query(BPF_RB_CONS_POS));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {4096, 16384})
    void fullRing(long size) {
        try (Twin t = new Twin(size)) {
            int big = (int) size - 16;
            // the largest payload that can succeed is size - 16; size - 15 never fits, nor more than size
            t.run(new RingScript().output(big + 1, 0, 0).output((int) size, 0, 0).reserve(0, big + 1, 0).submit(0, 0)
                    .output(big, 0, 0).query(BPF_RB_AVAIL_DATA).output(0, 0, 0));
            assertEquals(1, t.consume(10, Ring.Mode.LIBBPF));
            // fill with small records until both refuse
            for (int round = 0; round < 3; round++) {
                RingScript s = new RingScript();
                for (int i = 0; i < 60; i++) {
                    s.output(40 + i % 9, i, i % 3);
                }
                t.run(s.query(BPF_RB_AVAIL_DATA));
            }
            t.run(new RingScript().reserve(0, 8, 0).reserve(1, 0, 0).submit(1, 0).submit(0, 0));
            t.consume(7, Ring.Mode.LIBBPF);
            t.run(new RingScript().output(100, 3, 0).output(8, 3, 0).query(BPF_RB_AVAIL_DATA));
            t.consume(Long.MAX_VALUE, Ring.Mode.BATCHED);
        }
    }

    @Test
    void wrapAroundAcrossTheEndOfTheDataArea() {
        try (Twin t = new Twin(4096)) {
            for (int round = 0; round < 40; round++) {
                RingScript s = new RingScript();
                int n = 3 + round % 5;
                for (int i = 0; i < n; i++) {
                    int sz = 100 + 37 * ((round + i) % 11);
                    if (i % 2 == 0) {
                        s.output(sz, i * 3, 0);
                    } else {
                        s.reserve(0, sz, i).submit(0, 0);
                    }
                }
                t.run(s.query(BPF_RB_AVAIL_DATA).query(BPF_RB_PROD_POS));
                t.consume(round % 3 == 0 ? 2 : Long.MAX_VALUE, round % 2 == 0 ? Ring.Mode.LIBBPF : Ring.Mode.BATCHED);
            }
            if (t.prodPos() < 3 * 4096) {
                fail("did not wrap: producer_pos " + t.prodPos());
            }
        }
    }

    @Test
    void discardsAreSkippedAndStillAdvancePendingPos() {
        try (Twin t = new Twin(4096)) {
            t.run(new RingScript().reserve(0, 1000, 0).reserve(1, 1000, 1).reserve(2, 1000, 2)
                    .discard(1, 0).submit(2, 0).reserve(3, 1000, 3).discard(0, 0).submit(3, 0));
            t.consume(1, Ring.Mode.LIBBPF);
            t.run(new RingScript().reserve(0, 1500, 0).discard(0, BPF_RB_NO_WAKEUP).output(2000, 0, 0)
                    .query(BPF_RB_AVAIL_DATA));
            t.consume(Long.MAX_VALUE, Ring.Mode.LIBBPF);
            t.run(new RingScript().output(2000, 0, 0).query(BPF_RB_AVAIL_DATA));
        }
    }

    @Test
    void hostileConsumerPositions() {
        try (Twin t = new Twin(4096)) {
            t.run(new RingScript().output(100, 0, 0).output(200, 0, 0));
            long prod = t.prodPos();
            // consumer far ahead: "free" space looks unlimited, but pending_pos still guards busy records
            t.setConsumerPos(prod + 4096);
            t.run(new RingScript().reserve(0, 1000, 0).reserve(1, 1000, 0).reserve(2, 1000, 0).reserve(3, 1000, 0)
                    .reserve(4, 1000, 0).query(BPF_RB_AVAIL_DATA).submit(0, 0).submit(1, 0).submit(2, 0)
                    .submit(3, 0).submit(4, 0));
            // consumer just below 2^64, misaligned, and far behind
            for (long cons : new long[] {-8L, 12345, t.prodPos() - 1_000_000, t.prodPos() + 3}) {
                t.setConsumerPos(cons);
                t.run(new RingScript().output(8, 0, 0).reserve(0, 64, 1).reserve(1, 3000, 2).submit(1, 0)
                        .submit(0, 0).query(BPF_RB_AVAIL_DATA).query(BPF_RB_CONS_POS));
            }
            // back to sane: the consumer resumes at producer_pos
            t.setConsumerPos(t.prodPos());
            t.run(new RingScript().output(8, 0, 0).output(2000, 0, 0).output(2000, 0, 0));
            t.consume(Long.MAX_VALUE, Ring.Mode.LIBBPF);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomScripts(long seed) {
        Random rnd = new Random(seed);
        long size = seed % 2 == 0 ? 4096 : 8192;
        try (Twin t = new Twin(size)) {
            for (int round = 0; round < 25; round++) {
                RingScript s = new RingScript();
                int ops = 4 + rnd.nextInt(20);
                for (int i = 0; i < ops && s.size() < RingScript.MAX_OPS - RingScript.MAX_SLOTS - 1; i++) {
                    List<Integer> open = s.openSlots();
                    int pick = rnd.nextInt(10);
                    long flags = rnd.nextInt(4) == 0 ? rnd.nextInt(4) : 0;
                    int sz = rnd.nextInt(8) == 0 ? rnd.nextInt((int) size) : rnd.nextInt(200);
                    int src = rnd.nextInt(64);
                    if (pick < 3 && open.size() < 5) {
                        int slot = firstFree(open);
                        s.reserve(slot, sz, src);
                    } else if (pick < 6 && !open.isEmpty()) {
                        int slot = open.get(rnd.nextInt(open.size()));
                        if (rnd.nextInt(3) == 0) {
                            s.discard(slot, flags & 3);
                        } else {
                            s.submit(slot, flags & 3);
                        }
                    } else if (pick < 9) {
                        s.output(sz, src, flags);
                    } else {
                        s.query(rnd.nextInt(6));
                    }
                }
                List<Integer> open = new ArrayList<>(s.openSlots());
                java.util.Collections.shuffle(open, rnd);
                for (int slot : open) {
                    if (rnd.nextBoolean()) {
                        s.submit(slot, 0);
                    } else {
                        s.discard(slot, 0);
                    }
                }
                t.run(s);
                switch (rnd.nextInt(4)) {
                    case 0 -> t.consume(1 + rnd.nextInt(5), Ring.Mode.LIBBPF);
                    case 1 -> t.consume(Long.MAX_VALUE, Ring.Mode.BATCHED);
                    case 2 -> t.consume(Long.MAX_VALUE, Ring.Mode.LIBBPF);
                    default -> { }
                }
            }
        }
    }

    @Test
    void dynptrReservations() {
        try (Twin t = new Twin(4096)) {
            // sizes known only at run time; failures still need a submit or discard (no-op on a null dynptr)
            long[] r = t.run(new RingScript().reserveDynptr(0, 100, 3, 0).reserveDynptr(1, 13, 5, 0).submitDynptr(1, 0)
                    .reserveDynptr(2, (1 << 24), 0, 0)          // above 2^24 - 1: -E2BIG
                    .reserveDynptr(3, 8, 0, 1)                  // flags: -EINVAL
                    .reserveDynptr(4, 4000, 0, 0)               // does not fit: -EINVAL
                    .discardDynptr(0, 0).submitDynptr(2, 0).discardDynptr(3, 0).submitDynptr(4, 0)
                    .reserveDynptr(5, 0, 0, 0).submitDynptr(5, BPF_RB_NO_WAKEUP)
                    .reserveDynptr(6, (1 << 24) - 1, 0, 0).submitDynptr(6, 0)  // max dynptr size, larger than the ring
                    .reserve(0, 16, 1).reserveDynptr(7, 2000, 9, 0).submit(0, 0).submitDynptr(7, 0)
                    .query(BPF_RB_AVAIL_DATA));
            assertEquals(List.of(0L, 0L, 0L, -7L, -22L, -22L), Arrays.stream(r, 0, 6).boxed().toList());
            assertEquals(-22L, r[12], "2^24 - 1 passes the dynptr size check, then the ring refuses it: -EINVAL");
            t.consume(Long.MAX_VALUE, Ring.Mode.LIBBPF);
            t.run(new RingScript().reserveDynptr(0, 2048, 0, 0).reserveDynptr(1, 2000, 0, 0).discardDynptr(0, 0)
                    .submitDynptr(1, 0));
            t.consume(Long.MAX_VALUE, Ring.Mode.BATCHED);
        }
    }

    private static int firstFree(List<Integer> open) {
        for (int i = 0; i < RingScript.MAX_SLOTS; i++) {
            if (!open.contains(i)) {
                return i;
            }
        }
        throw new IllegalStateException();
    }

    /** Wake-up cases: the script, and whether a caught-up, sleeping consumer must be woken. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> wakeupCases() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("adaptive output, consumer caught up",
                        new RingScript().output(8, 0, 0), true),
                org.junit.jupiter.params.provider.Arguments.of("NO_WAKEUP output", new RingScript().output(8, 0, BPF_RB_NO_WAKEUP), false),
                org.junit.jupiter.params.provider.Arguments.of("FORCE_WAKEUP output", new RingScript().output(8, 0, BPF_RB_FORCE_WAKEUP), true),
                org.junit.jupiter.params.provider.Arguments.of("adaptive commit of the 2nd record, 1st NO_WAKEUP",
                        new RingScript().reserve(0, 8, 0).reserve(1, 8, 0).submit(0, BPF_RB_NO_WAKEUP).submit(1, 0), false),
                org.junit.jupiter.params.provider.Arguments.of("out-of-order commits: adaptive 2nd first, then 1st adaptive",
                        new RingScript().reserve(0, 8, 0).reserve(1, 8, 0).submit(1, 0).submit(0, 0), true),
                org.junit.jupiter.params.provider.Arguments.of("the known trap: discard NO_WAKEUP, then adaptive submit",
                        new RingScript().reserve(0, 8, 0).discard(0, BPF_RB_NO_WAKEUP).output(8, 0, 0), false),
                org.junit.jupiter.params.provider.Arguments.of("adaptive discard at the consumer position",
                        new RingScript().reserve(0, 8, 0).discard(0, 0), true));
    }

    /**
     * The wake-up rule against the real kernel: a consumer sleeping in epoll on the kernel map is
     * woken (or not) by the script, and the port sends a wake-up (or not) for the same script.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("wakeupCases")
    void wakeupRuleMatchesTheKernel(String name, RingScript script, boolean expectWake) throws Exception {
        try (Twin t = new Twin(4096); RingBufConsumer c = RingBufConsumer.create(t.kern, s -> 0)) {
            long sent0 = t.port.notificationsSent();
            java.util.concurrent.CompletableFuture<Long> poller = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                long t0 = System.nanoTime();
                c.poll(1500);
                return (System.nanoTime() - t0) / 1_000_000;
            });
            Thread.sleep(200); // the poller is asleep in epoll_wait on an empty ring
            t.runWithoutMemoryCompare(script); // the woken poller consumes meanwhile
            long ms = poller.get(10, java.util.concurrent.TimeUnit.SECONDS);
            boolean kernelWoke = ms < 1200;
            boolean portWoke = t.port.notificationsSent() > sent0;
            assertEquals(expectWake, kernelWoke, name + ": kernel poll returned after " + ms + " ms");
            assertEquals(kernelWoke, portWoke, name + ": port sent " + (t.port.notificationsSent() - sent0) + " wake-ups");
        }
    }

    @Test
    void theKernelsProducerPageHoldsProducerAndPendingPosOnly() {
        try (Twin t = new Twin(4096)) {
            t.run(new RingScript().reserve(0, 10, 0).output(20, 0, 0).discard(0, 0).output(30, 0, 0));
            MemorySegment pp = t.kern.producerPage();
            assertEquals(t.prodPos(), pp.get(JAVA_LONG, 0));
            // pending_pos: advanced at the last reservation over every committed record before it
            assertEquals(t.prodPos() - 40, pp.get(JAVA_LONG, 8), "pending_pos");
            byte[] rest = pp.asSlice(16).toArray(JAVA_BYTE);
            assertArrayEquals(new byte[rest.length], rest, "nothing else on the 6.18 producer page (no overwrite_pos yet)");
        }
    }
}
