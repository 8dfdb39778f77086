package io.dsplane.contracts.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.dsplane.contracts.api.ApiException;

/**
 * GroupCommitTest drives the batching with a transaction boundary that records what each transaction
 * held. The first write of a test blocks its transaction on a latch, so the writes submitted meanwhile
 * are known to be waiting when it ends: the test then knows exactly which batches must follow.
 */
class GroupCommitTest {

    /** What every transaction held, and whether it committed. */
    private final List<List<String>> committed = Collections.synchronizedList(new ArrayList<>());
    private final List<List<String>> rolledBack = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch firstStarted = new CountDownLatch(1);
    private GroupCommit<String, String> commit;

    private final Function<Callable<List<String>>, List<String>> recordingTransaction = batch -> {
        try {
            return batch.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    };

    /** upper-cases each item; "block" waits for the latch, "bad" fails the transaction it is in. */
    private List<String> work(List<String> items) {
        if (items.contains("block")) {
            firstStarted.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (items.contains("bad")) {
            rolledBack.add(List.copyOf(items));
            throw new IllegalStateException("bad write");
        }
        committed.add(List.copyOf(items));
        return items.stream().map(String::toUpperCase).toList();
    }

    @AfterEach
    void close() {
        release.countDown();
        if (commit != null) {
            commit.close();
        }
    }

    private CompletableFuture<String> submitAsync(String item) {
        return CompletableFuture.supplyAsync(() -> commit.submit(item));
    }

    private void awaitWaiting(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (commit.waiting() < n) {
            assertThat(System.nanoTime()).as("writes waiting").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void writesThatWaitWhileABatchCommitsShareTheNextTransaction() throws Exception {
        commit = new GroupCommit<>("test", 1, 100, this::work, recordingTransaction);
        CompletableFuture<String> first = submitAsync("block");
        assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<String>> rest = List.of(submitAsync("a"), submitAsync("b"), submitAsync("c"));
        awaitWaiting(3);
        release.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("BLOCK");
        for (int i = 0; i < rest.size(); i++) {
            assertThat(rest.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(List.of("A", "B", "C").get(i));
        }
        assertThat(committed).hasSize(2);
        assertThat(committed.get(0)).containsExactly("block");
        assertThat(committed.get(1)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(commit.transactions()).isEqualTo(2);
    }

    @Test
    void eachCallerGetsTheOutcomeOfItsOwnWrite() throws Exception {
        commit = new GroupCommit<>("test", 1, 100, this::work, recordingTransaction);
        CompletableFuture<String> first = submitAsync("block");
        assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        List<String> items = List.of("x1", "x2", "x3", "x4", "x5");
        List<CompletableFuture<String>> futures = items.stream().map(this::submitAsync).toList();
        awaitWaiting(items.size());
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < items.size(); i++) {
            assertThat(futures.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(items.get(i).toUpperCase());
        }
    }

    @Test
    void aBatchHoldsAtMostMaxBatchWrites() throws Exception {
        commit = new GroupCommit<>("test", 1, 2, this::work, recordingTransaction);
        CompletableFuture<String> first = submitAsync("block");
        assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<String>> rest = new ArrayList<>();
        for (String s : List.of("a", "b", "c", "d", "e")) {
            rest.add(submitAsync(s));
        }
        awaitWaiting(5);
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<String> f : rest) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(committed).hasSize(4);
        assertThat(committed.subList(1, 4)).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
        assertThat(committed.subList(1, 4).stream().mapToInt(List::size).sum()).isEqualTo(5);
    }

    @Test
    void aFailedBatchIsAppliedAgainWriteByWriteSoOnlyTheCulpritFails() throws Exception {
        commit = new GroupCommit<>("test", 1, 100, this::work, recordingTransaction);
        CompletableFuture<String> first = submitAsync("block");
        assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> a = submitAsync("a");
        awaitWaiting(1);
        CompletableFuture<String> bad = submitAsync("bad");
        awaitWaiting(2);
        CompletableFuture<String> c = submitAsync("c");
        awaitWaiting(3);
        release.countDown();
        first.get(30, TimeUnit.SECONDS);

        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("A");
        assertThat(c.get(30, TimeUnit.SECONDS)).isEqualTo("C");
        assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("bad write");
        assertThat(rolledBack).containsExactly(List.of("a", "bad", "c"), List.of("bad"));
        assertThat(committed).containsExactly(List.of("block"), List.of("a"), List.of("c"));
        // the batch of three, then each of its writes alone
        assertThat(commit.transactions()).isEqualTo(1 + 1 + 3);
    }

    @Test
    void aWriteAloneFailsWithItsOwnException() {
        commit = new GroupCommit<>("test", 2, 100, this::work, recordingTransaction);
        assertThatThrownBy(() -> commit.submit("bad")).isInstanceOf(IllegalStateException.class).hasMessage("bad write");
        assertThat(commit.submit("ok")).isEqualTo("OK");
        assertThat(commit.transactions()).isEqualTo(2);
    }

    @Test
    void afterCloseWritesAreRefusedAsUnavailable() {
        commit = new GroupCommit<>("test", 2, 100, this::work, recordingTransaction);
        assertThat(commit.submit("before")).isEqualTo("BEFORE");
        commit.close();
        assertThatThrownBy(() -> commit.submit("after")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(503));
        assertThat(committed).containsExactly(List.of("before"));
    }
}
