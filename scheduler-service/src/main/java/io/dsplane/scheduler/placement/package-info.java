/**
 * Placement is the pure decision logic of the scheduler: which nodes a DaemonSet should run on,
 * what to create or delete on each node, how a daemon pod looks when it is materialized, and
 * whether it fits the node's resources (with priority preemption when it does not).
 *
 * <p>Everything here is plain Java over fabric8 kubernetes-model types: no Kafka, Quarkus or JPA
 * types, no clock and no I/O. Time is always passed in as {@code now}. Inputs are never mutated;
 * results are new objects. Function names follow the upstream Kubernetes DaemonSet controller
 * ({@code nodeShouldRunDaemonPod}, {@code podsShouldBeOnNode}, {@code failedPodsBackoffKey}, ...)
 * so behaviour can be compared by name with {@code pkg/controller/daemon}.
 */
package io.dsplane.scheduler.placement;
