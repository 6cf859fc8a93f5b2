package dev.ringbench.kernel;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A real perf buffer: a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} whose slot {@code cpu} holds a
 * {@code perf_event_open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_BPF_OUTPUT, pid -1, cpu)} event, each
 * event's ring mmapped (one control page, {@code struct perf_event_mmap_page}, then {@code 2^n}
 * data pages, not double-mapped) and enabled, as libbpf's {@code perf_buffer__new} sets them up
 * ({@code sample_type = PERF_SAMPLE_RAW}, {@code sample_period = 1}, and either
 * {@code wakeup_events} or, in watermark mode, {@code wakeup_watermark}).
 *
 * <p>A program's {@code bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU, data, size)} writes to
 * the ring of the CPU it runs on ({@link PerfPrograms}). Only online CPUs get an event; a program
 * running on a CPU without one gets -ENOENT.
 */
public final class PerfEventArray implements AutoCloseable {
    static final int PERF_TYPE_SOFTWARE = 1;
    static final int PERF_COUNT_SW_BPF_OUTPUT = 10;
    static final long PERF_SAMPLE_RAW = 1L << 10;
    static final long PERF_FLAG_FD_CLOEXEC = 8;
    static final long PERF_EVENT_IOC_ENABLE = 0x2400;
    static final int PERF_ATTR_SIZE = 128;
    static final long PAGE = 4096;

    /** One CPU's event and its mapped ring. */
    public static final class CpuRing {
        private final int cpu;
        private final int fd;
        private final MemorySegment control;
        private final MemorySegment data;

        CpuRing(int cpu, int fd, MemorySegment control, MemorySegment data) {
            this.cpu = cpu;
            this.fd = fd;
            this.control = control;
            this.data = data;
        }

        public int cpu() {
            return cpu;
        }

        /** The perf event fd (epoll watches it for EPOLLIN). */
        public int fd() {
            return fd;
        }

        /** The control page, read-write ({@code data_tail} is the consumer's to write). */
        public MemorySegment controlPage() {
            return control;
        }

        /** The data pages, as mapped (read-write: perf maps them so when the consumer owns data_tail). */
        public MemorySegment dataPages() {
            return data;
        }
    }

    private final int mapFd;
    private final Arena arena = Arena.ofShared();
    private final List<CpuRing> rings = new ArrayList<>();
    private final long dataSize;

    private PerfEventArray(int dataPages, int wakeupEvents, int wakeupWatermark) {
        this.dataSize = dataPages * PAGE;
        int[] cpus = onlineCpus();
        int max = 0;
        for (int c : cpus) {
            max = Math.max(max, c + 1);
        }
        this.mapFd = Bpf.mapCreate(Bpf.BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, max, 0, "pb");
        try (Arena a = Arena.ofConfined()) {
            for (int cpu : cpus) {
                MemorySegment attr = a.allocate(PERF_ATTR_SIZE, 8);
                attr.set(JAVA_INT, 0, PERF_TYPE_SOFTWARE);              // type
                attr.set(JAVA_INT, 4, PERF_ATTR_SIZE);                  // size
                attr.set(JAVA_LONG, 8, PERF_COUNT_SW_BPF_OUTPUT);       // config
                attr.set(JAVA_LONG, 16, 1);                             // sample_period
                attr.set(JAVA_LONG, 24, PERF_SAMPLE_RAW);               // sample_type
                if (wakeupWatermark > 0) {
                    attr.set(JAVA_LONG, 40, 1L << 14);                  // flags: watermark
                    attr.set(JAVA_INT, 48, wakeupWatermark);            // wakeup_watermark
                } else {
                    attr.set(JAVA_INT, 48, wakeupEvents);               // wakeup_events
                }
                int fd = Sys.perfEventOpen(attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
                long len = PAGE + dataSize;
                long addr;
                try {
                    addr = Sys.mmapShared(len, Sys.PROT_READ | Sys.PROT_WRITE, fd, 0, "perf ring of cpu " + cpu);
                } catch (RuntimeException e) {
                    Sys.close(fd);
                    throw e;
                }
                MemorySegment all = MemorySegment.ofAddress(addr).reinterpret(len, arena, s -> Sys.munmap(addr, len));
                CpuRing r = new CpuRing(cpu, fd, all.asSlice(0, PAGE), all.asSlice(PAGE, dataSize));
                rings.add(r);
                Sys.ioctl(fd, PERF_EVENT_IOC_ENABLE, 0, "PERF_EVENT_IOC_ENABLE");
                Bpf.mapUpdateU32(mapFd, cpu, fd);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A perf event array with one ring of {@code dataPages} pages per online CPU.
     *
     * @param wakeupEvents    wake the consumer every this many samples (libbpf's default 1); used
     *                        when {@code wakeupWatermark} is 0
     * @param wakeupWatermark wake when this many bytes were written (0: count events)
     */
    public static PerfEventArray create(int dataPages, int wakeupEvents, int wakeupWatermark) {
        Kernel.requireAvailable();
        if (dataPages < 1 || Integer.bitCount(dataPages) != 1) {
            throw new IllegalArgumentException("dataPages must be a power of two: " + dataPages);
        }
        return new PerfEventArray(dataPages, wakeupEvents, wakeupWatermark);
    }

    /** Number of online CPUs: one ring each. */
    public static int onlineCpuCount() {
        return onlineCpus().length;
    }

    static int[] onlineCpus() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
            List<Integer> cpus = new ArrayList<>();
            for (String part : s.split(",")) {
                String[] r = part.split("-");
                int lo = Integer.parseInt(r[0].trim());
                int hi = r.length > 1 ? Integer.parseInt(r[1].trim()) : lo;
                for (int c = lo; c <= hi; c++) {
                    cpus.add(c);
                }
            }
            return cpus.stream().mapToInt(Integer::intValue).toArray();
        } catch (IOException | RuntimeException e) {
            int n = Runtime.getRuntime().availableProcessors();
            int[] cpus = new int[n];
            for (int i = 0; i < n; i++) {
                cpus[i] = i;
            }
            return cpus;
        }
    }

    /** The map fd (programs reference it). */
    public int fd() {
        return mapFd;
    }

    /** The rings, one per online CPU, in CPU order. */
    public List<CpuRing> rings() {
        return List.copyOf(rings);
    }

    /** Bytes of data pages per ring. */
    public long dataSize() {
        return dataSize;
    }

    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /** Unmaps every ring, closes the events and the map. Idempotent. */
    @Override
    public synchronized void close() {
        if (!arena.scope().isAlive()) {
            return;
        }
        arena.close();
        for (CpuRing r : rings) {
            Sys.close(r.fd);
        }
        Sys.close(mapFd);
    }
}
