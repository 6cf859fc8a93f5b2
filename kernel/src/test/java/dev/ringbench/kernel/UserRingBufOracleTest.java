package dev.ringbench.kernel;

import dev.ringbench.os.Errno;
import dev.ringbench.ringbuf.UserRingBuf;
import dev.ringbench.ringbuf.UserRingBufProducer;
import dev.ringbench.ringbuf.UserRingSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The user ring oracle: the port's {@link UserRingBufProducer} fills both the port's
 * {@link UserRingBuf} and a real {@code BPF_MAP_TYPE_USER_RINGBUF} map with the same records;
 * then the port's {@code drain} and a program calling the kernel's {@code bpf_user_ringbuf_drain}
 * drain them. Compared: the drain results, what each callback saw (first 8 bytes of every sample,
 * or -E2BIG for shorter ones), and the consumer page, producer page and data bytes.
 */
class UserRingBufOracleTest {
    @BeforeEach
    void kernel() {
        KernelAssumptions.assumeKernel();
    }

    static final class Twin implements AutoCloseable {
        final long size;
        final UserRingBuf port;
        final KernelUserRingBuf kern;
        final UserRingBufProducer portProducer;
        final UserRingBufProducer kernProducer;
        final IoMap io = IoMap.create(UserRingPrograms.IO_SIZE);
        final BpfProgram drain;
        final TestRun run = new TestRun();
        int step;

        Twin(long size) {
            this.size = size;
            port = UserRingBuf.create(size);
            kern = KernelUserRingBuf.create(size);
            portProducer = UserRingBufProducer.create(port);
            kernProducer = UserRingBufProducer.create(kern);
            drain = BpfProgram.load(UserRingPrograms.drain(kern.fd(), io), "urb_drain");
        }

        /** Reserves {@code len} bytes on both, fills them, then submits or discards (or leaves it BUSY). */
        long produce(int len, int seed, int commit) {
            long hp = portProducer.reserve(len);
            long hk = kernProducer.reserve(len);
            assertEquals(hp, hk, "reserve(" + len + ")");
            if (hp > 0) {
                for (UserRingBufProducer p : new UserRingBufProducer[] {portProducer, kernProducer}) {
                    MemorySegment area = p.sampleArea();
                    long off = p.sampleOffset(hp);
                    for (int i = 0; i < len; i++) {
                        area.set(JAVA_BYTE, off + i, (byte) (seed * 17 + i));
                    }
                    if (commit == 1) {
                        p.submit(hp);
                    } else if (commit == 2) {
                        p.discard(hp);
                    }
                }
            }
            compare("after reserve(" + len + ")");
            return hp;
        }

        /** Drains both; compares the results and what the callbacks saw. */
        long drain(long flags, int stopAfter) {
            step++;
            MemorySegment v = io.value();
            v.fill((byte) 0);
            v.set(JAVA_LONG, UserRingPrograms.FLAGS, flags);
            v.set(JAVA_LONG, UserRingPrograms.STOP_AFTER, stopAfter);
            run.runOnce(drain);
            long kr = v.get(JAVA_LONG, UserRingPrograms.RESULT);
            long calls = v.get(JAVA_LONG, UserRingPrograms.CALLS);
            List<String> ks = new ArrayList<>();
            for (int i = 0; i < Math.min(calls, UserRingPrograms.MAX_RECORDED); i++) {
                long rc = v.get(JAVA_LONG, UserRingPrograms.SAMPLES + 16L * i);
                ks.add(rc == 0 ? Long.toHexString(v.get(JAVA_LONG, UserRingPrograms.SAMPLES + 16L * i + 8)) : "rc" + rc);
            }
            List<String> ps = new ArrayList<>();
            int[] n = {0};
            long pr = port.drain(s -> {
                n[0]++;
                if (ps.size() < UserRingPrograms.MAX_RECORDED) {
                    ps.add(s.byteSize() >= 8 ? Long.toHexString(s.get(JAVA_LONG.withByteAlignment(1), 0)) : "rc" + Errno.E2BIG);
                }
                return stopAfter != 0 && n[0] >= stopAfter ? 1 : 0;
            }, flags);
            if (kr != pr || calls != n[0] || !ks.equals(ps)) {
                fail("drain " + step + ": kernel " + kr + " after " + calls + " callbacks " + ks + "\n port " + pr
                        + " after " + n[0] + " callbacks " + ps);
            }
            compare("after drain " + step);
            return kr;
        }

        void compare(String when) {
            diff("consumer page", kern.consumerPage(), port.consumerPage(), when);
            diff("producer page", kern.producerPage(), port.producerPage(), when);
            diff("data", kern.data().asSlice(0, size), port.data().asSlice(0, size), when);
        }

        private void diff(String what, MemorySegment k, MemorySegment p, String when) {
            long at = k.mismatch(p);
            if (at >= 0) {
                long w = at & ~7L;
                fail(when + ": " + what + " differs at byte " + at + " (u64 at " + w + ": kernel 0x"
                        + Long.toHexString(k.get(JAVA_LONG, w)) + ", port 0x" + Long.toHexString(p.get(JAVA_LONG, w)) + ")");
            }
        }

        /** Writes the same u32/u64 on both rings' writable producer side (a hostile producer). */
        void forge(boolean producerPage, long off, long value, boolean wide) {
            for (UserRingSource s : new UserRingSource[] {port, kern}) {
                MemorySegment m = producerPage ? s.producerPage() : s.data();
                if (wide) {
                    m.set(JAVA_LONG, off, value);
                } else {
                    m.set(JAVA_INT, off, (int) value);
                }
            }
        }

        @Override
        public void close() {
            kernProducer.close();
            portProducer.close();
            drain.close();
            run.close();
            io.close();
            kern.close();
            port.close();
        }
    }

    @Test
    void submitDiscardAndShortSamples() {
        try (Twin t = new Twin(4096)) {
            t.produce(16, 1, 1);
            t.produce(3, 2, 1);
            t.produce(100, 3, 2);
            t.produce(0, 4, 1);
            t.produce(8, 5, 1);
            assertEquals(4, t.drain(0, 0));
            assertEquals(0, t.drain(0, 0));
        }
    }

    @Test
    void busySampleStopsTheDrainAndStopReturnEndsIt() {
        try (Twin t = new Twin(4096)) {
            t.produce(16, 1, 1);
            t.produce(24, 2, 1);
            t.produce(32, 3, 0); // stays BUSY
            t.produce(8, 4, 1);
            assertEquals(2, t.drain(0, 0));
            assertEquals(0, t.drain(0, 0));
        }
        try (Twin t = new Twin(4096)) {
            for (int i = 0; i < 6; i++) {
                t.produce(16 + i, i, 1);
            }
            assertEquals(2, t.drain(0, 2));
            assertEquals(4, t.drain(0, 0));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void fillDrainAndWrap(long seed) {
        Random rnd = new Random(seed);
        try (Twin t = new Twin(4096)) {
            long drained = 0;
            for (int round = 0; round < 30; round++) {
                int n = 1 + rnd.nextInt(12);
                for (int i = 0; i < n; i++) {
                    int len = rnd.nextInt(6) == 0 ? rnd.nextInt(4000) : rnd.nextInt(300);
                    t.produce(len, round * 31 + i, rnd.nextInt(5) == 0 ? 2 : 1);
                }
                long r = t.drain(rnd.nextInt(3), rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 0);
                assertTrue(r >= 0);
                drained += r;
            }
            assertTrue(t.kern.producerPage().get(JAVA_LONG, 0) > 2 * 4096, "wrapped");
            assertTrue(drained > 0);
        }
    }

    @Test
    void reserveBlockingWaitsInEpollForTheKernelsDrain() throws Exception {
        try (Twin t = new Twin(4096)) {
            while (t.kernProducer.reserve(1000) > 0) {
                // fill: reserve returns -ENOSPC once full (the handles stay BUSY, so submit them)
            }
            // submit every outstanding record so that the drain can consume them
            long pos = 0;
            long prod = t.kern.producerPage().get(JAVA_LONG, 0);
            while (pos < prod) {
                t.kernProducer.submit(pos + 8);
                pos += 1008;
            }
            // t0 is taken here, not in the task: on a loaded machine the task can start tens of
            // milliseconds late, and the time it was blocked is counted from the 300 ms sleep below.
            long t0 = System.nanoTime();
            java.util.concurrent.CompletableFuture<Long> blocked = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                long h = t.kernProducer.reserveBlocking(1000, 5000);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                return h > 0 ? ms : h;
            });
            Thread.sleep(300);
            assertTrue(!blocked.isDone(), "the producer is blocked on a full ring");
            MemorySegment v = t.io.value();
            v.fill((byte) 0);
            t.run.runOnce(t.drain); // bpf_user_ringbuf_drain: the kernel wakes the producer
            assertEquals(4, v.get(JAVA_LONG, UserRingPrograms.RESULT));
            long ms = blocked.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(ms >= 250 && ms < 4000, "reserveBlocking returned after " + ms + " ms");
        }
    }

    @Test
    void hostileProducerInput() {
        try (Twin t = new Twin(4096)) {
            t.produce(16, 1, 1);
            long prod = t.kern.producerPage().get(JAVA_LONG, 0);
            // a misaligned producer_pos: -EINVAL
            t.forge(true, 0, prod + 3, true);
            assertEquals(Errno.EINVAL, t.drain(0, 0));
            t.forge(true, 0, prod, true);
            assertEquals(1, t.drain(0, 0));
            // a header claiming more than producer_pos advertises: -EINVAL
            t.produce(16, 2, 1);
            t.forge(false, prod & 4095, 200, false);
            assertEquals(Errno.EINVAL, t.drain(0, 0));
            // a header larger than the ring (with producer_pos moved to cover it): -E2BIG
            t.forge(false, prod & 4095, 5000, false);
            t.forge(true, 0, prod + 8192, true);
            assertEquals(Errno.E2BIG, t.drain(0, 0));
            // bad drain flags
            t.forge(true, 0, prod + 24, true);
            t.forge(false, prod & 4095, 16, false);
            assertEquals(Errno.EINVAL, t.drain(4, 0));
            assertEquals(1, t.drain(0, 0));
        }
    }
}
