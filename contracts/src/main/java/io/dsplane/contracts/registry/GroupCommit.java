package io.dsplane.contracts.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.dsplane.contracts.api.ApiException;
import io.dsplane.contracts.api.Statuses;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * GroupCommit lets concurrent requests share transactions. A request hands its write to
 * {@link #submit} and waits; a committer thread takes every write that is waiting (up to
 * {@code maxBatch}), applies them together in one transaction, and each request gets its own outcome
 * once that transaction has committed. Under load this turns one commit (and one flush of the log) per
 * request into one per batch; alone, a request waits only for its own transaction.
 *
 * <p>The batch work answers a refusal of one write (invalid, name taken, not found) in that write's
 * outcome and must refuse before writing anything of it. Any exception out of the batch rolls the
 * whole transaction back; then every write of the batch is applied again in a transaction of its own,
 * so that the failure reaches only the request that caused it (say, a write that broke a constraint
 * the batch work does not check) and the others commit.
 *
 * <p>Two committer threads by default, so that one batch is being built while the other commits.
 * Nothing is kept across a restart: a request whose batch had not committed gets an error, as it
 * would with a transaction of its own.
 */
public final class GroupCommit<I, O> implements AutoCloseable {

    private final String name;
    private final int maxBatch;
    private final Function<List<I>, List<O>> work;
    private final Function<Callable<List<O>>, List<O>> inTransaction;
    private final AtomicLong transactions = new AtomicLong();
    private final LinkedBlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> committers = new ArrayList<>();
    private volatile boolean closed;

    private record Pending<I, O>(I item, CompletableFuture<O> outcome) {
    }

    /**
     * A GroupCommit whose transactions are JTA transactions of their own
     * ({@code QuarkusTransaction.requiringNew()}).
     *
     * @param name     thread name prefix
     * @param threads  committer threads (transactions that may be open at once)
     * @param maxBatch the most writes in one transaction
     * @param work     applies a batch in the caller's transaction; one outcome per item, in order
     */
    public GroupCommit(String name, int threads, int maxBatch, Function<List<I>, List<O>> work) {
        this(name, threads, maxBatch, work, batch -> QuarkusTransaction.requiringNew().call(batch));
    }

    /**
     * A GroupCommit with its own transaction boundary: {@code inTransaction} runs the batch it is given
     * in a new transaction, commits when it returns and rolls back when it throws.
     */
    public GroupCommit(String name, int threads, int maxBatch, Function<List<I>, List<O>> work,
            Function<Callable<List<O>>, List<O>> inTransaction) {
        if (threads < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("threads and maxBatch must be at least 1");
        }
        this.name = name;
        this.maxBatch = maxBatch;
        this.work = work;
        this.inTransaction = inTransaction;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::loop, name + "-" + i);
            t.setDaemon(true);
            committers.add(t);
        }
        committers.forEach(Thread::start);
    }

    /**
     * submit applies {@code item} in a shared transaction and returns its outcome once that
     * transaction has committed. A failure of the item's own transaction is rethrown as it was thrown.
     */
    public O submit(I item) {
        if (closed) {
            throw unavailable();
        }
        CompletableFuture<O> outcome = new CompletableFuture<>();
        queue.add(new Pending<>(item, outcome));
        if (closed) {
            failWaiting();
        }
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** waiting is the number of writes queued and not yet taken into a batch. */
    public int waiting() {
        return queue.size();
    }

    /** transactions is the number of transactions begun so far (batches and writes applied alone). */
    public long transactions() {
        return transactions.get();
    }

    private void loop() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                Pending<I, O> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                apply(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.outcome().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        failWaiting();
    }

    private void apply(List<Pending<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        batch.forEach(p -> items.add(p.item()));
        List<O> outcomes;
        try {
            transactions.incrementAndGet();
            outcomes = inTransaction.apply(() -> work.apply(items));
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).outcome().completeExceptionally(e);
                return;
            }
            for (Pending<I, O> p : batch) {
                applyAlone(p);
            }
            return;
        }
        if (outcomes.size() != batch.size()) {
            throw new IllegalStateException(name + ": " + outcomes.size() + " outcomes for " + batch.size() + " writes");
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).outcome().complete(outcomes.get(i));
        }
    }

    private void applyAlone(Pending<I, O> p) {
        try {
            transactions.incrementAndGet();
            List<O> one = inTransaction.apply(() -> work.apply(List.of(p.item())));
            p.outcome().complete(one.get(0));
        } catch (RuntimeException e) {
            p.outcome().completeExceptionally(e);
        }
    }

    private void failWaiting() {
        for (Pending<I, O> p; (p = queue.poll()) != null;) {
            p.outcome().completeExceptionally(unavailable());
        }
    }

    private ApiException unavailable() {
        return new ApiException(Statuses.of(503, Statuses.SERVICE_UNAVAILABLE, name + " is shutting down"));
    }

    /** close stops the committers after the batches under way; writes still queued are refused (503). */
    @Override
    public void close() {
        closed = true;
        for (Thread t : committers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failWaiting();
    }
}
