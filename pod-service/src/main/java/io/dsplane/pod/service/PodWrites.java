package io.dsplane.pod.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dsplane.contracts.registry.GroupCommit;
import io.dsplane.contracts.registry.ObjectRegistry.Created;
import io.dsplane.pod.config.PodServiceConfig;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * PodWrites is the write path of clients' pod creates and deletes. Workload controllers and the
 * churn of a busy cluster send many small writes at once; each used to be a transaction, and the
 * commits, not the work, bounded how many a second the service took. Concurrent writes now share
 * transactions ({@link GroupCommit}); every request is still answered only after its write committed,
 * with the same outcome as alone.
 */
@ApplicationScoped
public class PodWrites {

    @Inject
    PodRegistry pods;

    @Inject
    TerminatingPods termination;

    @Inject
    PodServiceConfig config;

    private GroupCommit<NewPod, Created<Pod>> creates;
    private GroupCommit<TerminatingPods.Deletion, Optional<Pod>> deletes;

    /** NewPod is one create: the namespace of the URL and the submitted pod. */
    record NewPod(String namespace, Pod pod) {
    }


    @PostConstruct
    void start() {
        int threads = config.rest().commitThreads();
        int max = config.rest().maxBatch();
        creates = new GroupCommit<>("pod-creates", threads, max, this::createAll);
        deletes = new GroupCommit<>("pod-deletes", threads, max, this::deleteAll);
    }

    @PreDestroy
    void stop() {
        creates.close();
        deletes.close();
    }

    /** create stores a client's new pod as a POST does; a refusal is thrown as its ApiException. */
    public Pod create(String namespace, Pod pod) {
        Created<Pod> created = creates.submit(new NewPod(namespace, pod));
        if (created.error() != null) {
            throw created.error();
        }
        return created.stored();
    }

    /** delete starts or completes the deletion of a pod as {@link TerminatingPods#delete} does; empty when absent. */
    public Optional<Pod> delete(String namespace, String name, Long gracePeriodSeconds) {
        return deletes.submit(new TerminatingPods.Deletion(namespace, name, gracePeriodSeconds));
    }

    private List<Created<Pod>> createAll(List<NewPod> batch) {
        List<String> namespaces = new ArrayList<>(batch.size());
        List<Pod> objects = new ArrayList<>(batch.size());
        for (NewPod p : batch) {
            namespaces.add(p.namespace());
            objects.add(p.pod());
        }
        return pods.endpoints().registry().createAll(namespaces, objects);
    }

    /** deleteAll applies a batch of deletes at the time the batch is applied. */
    private List<Optional<Pod>> deleteAll(List<TerminatingPods.Deletion> batch) {
        return termination.deleteAll(batch, Instant.now());
    }
}
