package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OutboundQueuesTest {
    private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met");
            Thread.sleep(5);
        }
    }

    @Test
    void aDestinationThatBlocksFillsOnlyItsOwnQueueAndOthersKeepFlowing() throws Exception {
        Address slow = UUID.randomUUID();
        Address fast = UUID.randomUUID();
        CountDownLatch unblock = new CountDownLatch(1);
        List<byte[]> toFast = new CopyOnWriteArrayList<>();
        OutboundQueues q = new OutboundQueues("t", "t", (to, frame) -> {
            if (to.equals(slow)) unblock.await(20, TimeUnit.SECONDS);
            else toFast.add(frame);
        }, 5000, 100_000);
        int accepted = 0;
        for (int i = 0; i < 50; i++) if (q.offer(slow, 1000, x -> new byte[1000])) accepted++;
        assertThat(accepted).as("frames for the blocked destination kept").isLessThanOrEqualTo(6);
        assertThat(q.dropped()).isEqualTo(50 - accepted);
        for (int i = 0; i < 200; i++) assertThat(q.offer(fast, 10, x -> new byte[10])).isTrue();
        await(() -> toFast.size() == 200);
        unblock.countDown();
        await(() -> q.queuedBytes() == 0);
        q.close(1000);
    }

    @Test
    void framesLeaveInTheOrderTheyWereSealed() throws Exception {
        Address to = UUID.randomUUID();
        List<Long> seen = new CopyOnWriteArrayList<>();
        OutboundQueues q = new OutboundQueues("t", "t", (a, frame) -> seen.add(java.nio.ByteBuffer.wrap(frame).getLong()), 1 << 20, 1 << 20);
        java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 500; i++) q.offer(to, 8, x -> java.nio.ByteBuffer.allocate(8).putLong(seq.incrementAndGet()).array());
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        await(() -> seen.size() == 2000);
        for (int i = 0; i < seen.size(); i++) assertThat(seen.get(i)).isEqualTo(i + 1L);
        q.close(1000);
    }

    @Test
    void forgettingADestinationReleasesItsBytes() throws Exception {
        Address gone = UUID.randomUUID();
        CountDownLatch unblock = new CountDownLatch(1);
        OutboundQueues q = new OutboundQueues("t", "t", (a, frame) -> unblock.await(20, TimeUnit.SECONDS), 1000, 1000);
        for (int i = 0; i < 5; i++) q.offer(gone, 100, x -> new byte[100]);
        q.forget(gone);
        assertThat(q.queuedBytes()).as("only the frame in flight").isLessThanOrEqualTo(100);
        unblock.countDown();
        await(() -> q.queuedBytes() == 0);
        assertThat(q.destinations()).isZero();
        q.close(1000);
    }

    /** A transport whose sends never block except to {@code starved}, which it says may block (no credits) and does. */
    private static final class FakeTransport implements OutboundQueues.Transport {
        final Address starved;
        final CountDownLatch unblock = new CountDownLatch(1);
        final java.util.Map<Address, List<byte[]>> got = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        FakeTransport(Address starved) {
            this.starved = starved;
        }

        @Override
        public void send(Address to, byte[] frame) throws Exception {
            if (to.equals(starved)) unblock.await(20, TimeUnit.SECONDS);
            threads.add(Thread.currentThread().getName());
            got.computeIfAbsent(to, a -> new CopyOnWriteArrayList<>()).add(frame);
        }

        @Override
        public boolean mayBlock(Address to, int bytes) {
            return to.equals(starved);
        }

        int count(Address to) {
            return got.getOrDefault(to, List.of()).size();
        }
    }

    private static List<java.util.function.Supplier<byte[]>> frames(int n, int size) {
        List<java.util.function.Supplier<byte[]>> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) out.add(() -> new byte[size]);
        return out;
    }

    @Test
    void aFrameForNineDestinationsWakesOneDrainerThatSendsThemAll() throws Exception {
        FakeTransport t = new FakeTransport(null);
        OutboundQueues q = new OutboundQueues("t", "t", t, 1 << 20, 1 << 20);
        List<Address> to = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) to.add(UUID.randomUUID());
        for (int round = 1; round <= 20; round++) {
            long before = q.drainTasks();
            assertThat(q.offerAll(to, 100, frames(9, 100))).containsOnly(true);
            int expected = round;
            await(() -> to.stream().allMatch(a -> t.count(a) == expected));
            assertThat(q.drainTasks() - before).as("drainers started for one multicast to idle queues").isEqualTo(1);
        }
        assertThat(t.threads).as("drainer threads used over 20 multicasts").hasSizeLessThanOrEqualTo(2);
        await(() -> q.queuedBytes() == 0);
        q.close(1000);
    }

    @Test
    void aDestinationShortOfCreditsGetsADrainerOfItsOwnAndHoldsBackNoOther() throws Exception {
        Address starved = UUID.randomUUID();
        FakeTransport t = new FakeTransport(starved);
        OutboundQueues q = new OutboundQueues("t", "t", t, 1 << 20, 1 << 20);
        List<Address> to = List.of(starved, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (int i = 0; i < 5; i++) assertThat(q.offerAll(to, 10, frames(4, 10))).containsOnly(true);
        // The starved destination is first in every multicast; the others get all five frames while its send blocks.
        await(() -> to.subList(1, 4).stream().allMatch(a -> t.count(a) == 5));
        assertThat(t.count(starved)).isZero();
        t.unblock.countDown();
        await(() -> t.count(starved) == 5);
        await(() -> q.queuedBytes() == 0);
        q.close(1000);
    }

    @Test
    void singleFramesAndMulticastsToTheSameDestinationsLeaveInTheOrderTheyWereSealed() throws Exception {
        FakeTransport t = new FakeTransport(null);
        OutboundQueues q = new OutboundQueues("t", "t", t, 1 << 22, 1 << 22);
        List<Address> to = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        java.util.Map<Address, java.util.concurrent.atomic.AtomicLong> seq = new java.util.HashMap<>();
        to.forEach(a -> seq.put(a, new java.util.concurrent.atomic.AtomicLong()));
        Thread[] threads = new Thread[4];
        for (int k = 0; k < threads.length; k++) {
            boolean multicast = k % 2 == 0;
            threads[k] = new Thread(() -> {
                for (int i = 0; i < 300; i++) {
                    if (multicast) {
                        List<java.util.function.Supplier<byte[]>> seal = new java.util.ArrayList<>();
                        for (Address a : to) seal.add(() -> java.nio.ByteBuffer.allocate(8).putLong(seq.get(a).incrementAndGet()).array());
                        q.offerAll(to, 8, seal);
                    } else {
                        Address a = to.get(i % to.size());
                        q.offer(a, 8, x -> java.nio.ByteBuffer.allocate(8).putLong(seq.get(a).incrementAndGet()).array());
                    }
                }
            });
            threads[k].start();
        }
        for (Thread th : threads) th.join();
        long total = seq.values().stream().mapToLong(java.util.concurrent.atomic.AtomicLong::get).sum();
        await(() -> to.stream().mapToLong(t::count).sum() == total);
        for (Address a : to) {
            List<byte[]> frames = t.got.get(a);
            for (int i = 0; i < frames.size(); i++) assertThat(java.nio.ByteBuffer.wrap(frames.get(i)).getLong()).isEqualTo(i + 1L);
        }
        q.close(1000);
    }

    @Test
    void aMulticastBeyondADestinationsBudgetDropsOnlyThatDestinationsFrame() throws Exception {
        Address starved = UUID.randomUUID();
        FakeTransport t = new FakeTransport(starved);
        OutboundQueues q = new OutboundQueues("t", "t", t, 3000, 1 << 20);
        List<Address> to = List.of(starved, UUID.randomUUID());
        int queuedForStarved = 0;
        for (int i = 0; i < 10; i++) {
            boolean[] queued = q.offerAll(to, 1000, frames(2, 1000));
            if (queued[0]) queuedForStarved++;
            assertThat(queued[1]).isTrue();
            await(() -> q.queuedBytes() <= 4000); // the other destination's frame has left
        }
        assertThat(queuedForStarved).isBetween(3, 4); // its 3,000 bytes, plus the frame in its send
        assertThat(q.dropped()).isEqualTo(10 - queuedForStarved);
        t.unblock.countDown();
        await(() -> q.queuedBytes() == 0);
        q.close(1000);
    }

    @Test
    void aLargeFrameForManyDestinationsIsNotDroppedForTheOthersBytes() throws Exception {
        FakeTransport t = new FakeTransport(null);
        // 20 destinations x 100 KB = 2 MB: more than the whole budget of 1 MB if queued all at once before any leaves.
        OutboundQueues q = new OutboundQueues("t", "t", t, 1 << 20, 1 << 20);
        List<Address> to = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) to.add(UUID.randomUUID());
        CountDownLatch slowSeal = new CountDownLatch(1);
        List<java.util.function.Supplier<byte[]>> seal = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            seal.add(() -> {
                try {
                    slowSeal.await(2, TimeUnit.MILLISECONDS); // sealing takes a moment, as an HMAC does: earlier frames leave meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new byte[100_000];
            });
        }
        assertThat(q.offerAll(to, 100_000, seal)).containsOnly(true);
        await(() -> to.stream().allMatch(a -> t.count(a) == 1));
        assertThat(q.dropped()).isZero();
        q.close(1000);
    }

    @Test
    void aSmallFrameToAnIdleQueueThatCannotBlockIsSentOnTheCallersThread() throws Exception {
        Address starved = UUID.randomUUID();
        Address free = UUID.randomUUID();
        FakeTransport t = new FakeTransport(starved);
        OutboundQueues q = new OutboundQueues("t", "t", t, 1 << 20, 1 << 20);
        String caller = Thread.currentThread().getName();
        assertThat(q.offer(free, 100, x -> new byte[100])).isTrue();
        assertThat(t.count(free)).as("sent before offer returned").isEqualTo(1);
        assertThat(t.threads).containsExactly(caller);
        assertThat(q.drainTasks()).isZero();
        assertThat(q.inlineSends()).isEqualTo(1);
        // Larger than a bundle: a drainer sends it, as does any frame for a destination whose send could block.
        assertThat(q.offer(free, OutboundQueues.INLINE_MAX_BYTES + 1, x -> new byte[OutboundQueues.INLINE_MAX_BYTES + 1])).isTrue();
        assertThat(q.offer(starved, 100, x -> new byte[100])).isTrue();
        await(() -> t.count(free) == 2);
        assertThat(q.drainTasks()).isEqualTo(2);
        assertThat(t.count(starved)).as("its send blocks, on a drainer, not on the caller").isZero();
        assertThat(q.inlineSends()).isEqualTo(1);
        t.unblock.countDown();
        await(() -> q.queuedBytes() == 0);
        q.close(1000);
    }

    @Test
    void framesQueuedWhileAnInlineSendIsUnderWayAreLeftToADrainerInOrder() throws Exception {
        Address to = UUID.randomUUID();
        CountDownLatch inSend = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> seen = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        OutboundQueues q = new OutboundQueues("t", "t", new OutboundQueues.Transport() {
            @Override
            public void send(Address a, byte[] frame) throws Exception {
                long n = java.nio.ByteBuffer.wrap(frame).getLong();
                if (n == 1) {
                    inSend.countDown();
                    release.await(10, TimeUnit.SECONDS);
                }
                seen.add(n);
                threads.add(Thread.currentThread().getName());
            }

            @Override
            public boolean mayBlock(Address a, int bytes) {
                return false;
            }
        }, 1 << 20, 1 << 20);
        java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
        Thread first = new Thread(() -> q.offer(to, 8, x -> java.nio.ByteBuffer.allocate(8).putLong(seq.incrementAndGet()).array()), "first");
        first.start();
        assertThat(inSend.await(10, TimeUnit.SECONDS)).isTrue();
        // While "first" hands frame 1 over, this thread queues 2..5: the queue is owned, so they wait behind it.
        for (int i = 0; i < 4; i++) q.offer(to, 8, x -> java.nio.ByteBuffer.allocate(8).putLong(seq.incrementAndGet()).array());
        assertThat(seen).isEmpty();
        release.countDown();
        first.join(10_000);
        await(() -> seen.size() == 5);
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(threads.get(0)).isEqualTo("first");
        assertThat(threads.subList(1, 5)).as("the rest on one drainer, not on the caller").allMatch(n -> n.startsWith("convene-t-send-"));
        assertThat(q.drainTasks()).isEqualTo(1);
        q.close(1000);
    }
}
