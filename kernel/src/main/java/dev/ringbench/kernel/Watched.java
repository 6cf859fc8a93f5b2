package dev.ringbench.kernel;

/** A map that wakes the epoll sets watching it when it closes. */
interface Watched {
    void attach(EpollWaitSet w);

    void detach(EpollWaitSet w);
}
