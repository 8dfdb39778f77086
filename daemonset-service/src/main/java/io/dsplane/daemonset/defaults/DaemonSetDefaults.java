package io.dsplane.daemonset.defaults;

import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;

/**
 * DaemonSetDefaults fills the fields a client may leave out, as the API server's defaulting does on
 * every write (apps/v1 {@code SetDefaults_DaemonSet} plus the core/v1 pod template defaults). Only
 * unset fields are filled; a value the client sent is never replaced. Plain Java, no framework types.
 */
public final class DaemonSetDefaults {

    public static final String ROLLING_UPDATE = "RollingUpdate";
    public static final String ON_DELETE = "OnDelete";
    /** 1: upstream's default maxUnavailable, so a rollout replaces one node's pod at a time. */
    public static final int DEFAULT_MAX_UNAVAILABLE = 1;
    /** 0: upstream's default maxSurge; surge must be asked for explicitly. */
    public static final int DEFAULT_MAX_SURGE = 0;
    /** 10: upstream's default number of old ControllerRevisions kept for rollback. */
    public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

    public static final String RESTART_POLICY_ALWAYS = "Always";
    public static final String DNS_CLUSTER_FIRST = "ClusterFirst";
    /** 30 s: the core/v1 default grace period between SIGTERM and SIGKILL. */
    public static final long DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";
    public static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";
    public static final String TERMINATION_MESSAGE_POLICY = "File";
    public static final String PULL_ALWAYS = "Always";
    public static final String PULL_IF_NOT_PRESENT = "IfNotPresent";
    public static final String PROTOCOL_TCP = "TCP";

    private DaemonSetDefaults() {
    }

    /**
     * setDefaultsDaemonSet applies {@code SetDefaults_DaemonSet}: an empty update strategy type becomes
     * RollingUpdate; a RollingUpdate strategy gets {@code rollingUpdate} with maxUnavailable 1 and
     * maxSurge 0 where unset (OnDelete is left alone); revisionHistoryLimit 10 when unset. The pod
     * template then gets the core defaults ({@link #setDefaultsPodSpec}). A missing spec or template is
     * created empty, because upstream they are values, not pointers; validation then reports what is missing.
     */
    public static void setDefaultsDaemonSet(DaemonSet ds) {
        DaemonSetSpec spec = ds.getSpec();
        if (spec == null) {
            spec = new DaemonSetSpec();
            ds.setSpec(spec);
        }
        DaemonSetUpdateStrategy strategy = spec.getUpdateStrategy();
        if (strategy == null) {
            strategy = new DaemonSetUpdateStrategy();
            spec.setUpdateStrategy(strategy);
        }
        if (isEmpty(strategy.getType())) {
            strategy.setType(ROLLING_UPDATE);
        }
        if (ROLLING_UPDATE.equals(strategy.getType())) {
            RollingUpdateDaemonSet rolling = strategy.getRollingUpdate();
            if (rolling == null) {
                rolling = new RollingUpdateDaemonSet();
                strategy.setRollingUpdate(rolling);
            }
            if (rolling.getMaxUnavailable() == null) {
                rolling.setMaxUnavailable(new IntOrString(DEFAULT_MAX_UNAVAILABLE));
            }
            if (rolling.getMaxSurge() == null) {
                rolling.setMaxSurge(new IntOrString(DEFAULT_MAX_SURGE));
            }
        }
        if (spec.getRevisionHistoryLimit() == null) {
            spec.setRevisionHistoryLimit(DEFAULT_REVISION_HISTORY_LIMIT);
        }
        PodTemplateSpec template = spec.getTemplate();
        if (template == null) {
            template = new PodTemplateSpec();
            spec.setTemplate(template);
        }
        if (template.getSpec() == null) {
            template.setSpec(new PodSpec());
        }
        setDefaultsPodSpec(template.getSpec());
    }

    /**
     * setDefaultsPodSpec applies the core/v1 {@code SetDefaults_PodSpec} fields a daemon pod template
     * needs: restartPolicy Always, dnsPolicy ClusterFirst, terminationGracePeriodSeconds 30,
     * schedulerName default-scheduler, an empty securityContext, and the container defaults.
     */
    public static void setDefaultsPodSpec(PodSpec spec) {
        if (isEmpty(spec.getRestartPolicy())) {
            spec.setRestartPolicy(RESTART_POLICY_ALWAYS);
        }
        if (isEmpty(spec.getDnsPolicy())) {
            spec.setDnsPolicy(DNS_CLUSTER_FIRST);
        }
        if (spec.getTerminationGracePeriodSeconds() == null) {
            spec.setTerminationGracePeriodSeconds(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
        }
        if (isEmpty(spec.getSchedulerName())) {
            spec.setSchedulerName(DEFAULT_SCHEDULER_NAME);
        }
        if (spec.getSecurityContext() == null) {
            spec.setSecurityContext(new PodSecurityContext());
        }
        defaultAll(spec.getInitContainers());
        defaultAll(spec.getContainers());
    }

    private static void defaultAll(List<Container> containers) {
        if (containers != null) {
            containers.forEach(DaemonSetDefaults::setDefaultsContainer);
        }
    }

    /**
     * setDefaultsContainer applies {@code SetDefaults_Container} and {@code SetDefaults_ContainerPort}:
     * imagePullPolicy from the image tag ({@link #defaultImagePullPolicy}), the termination message
     * path and policy, and protocol TCP on ports.
     */
    public static void setDefaultsContainer(Container c) {
        if (isEmpty(c.getImagePullPolicy())) {
            c.setImagePullPolicy(defaultImagePullPolicy(c.getImage()));
        }
        if (isEmpty(c.getTerminationMessagePath())) {
            c.setTerminationMessagePath(TERMINATION_MESSAGE_PATH);
        }
        if (isEmpty(c.getTerminationMessagePolicy())) {
            c.setTerminationMessagePolicy(TERMINATION_MESSAGE_POLICY);
        }
        if (c.getPorts() != null) {
            for (ContainerPort p : c.getPorts()) {
                if (isEmpty(p.getProtocol())) {
                    p.setProtocol(PROTOCOL_TCP);
                }
            }
        }
    }

    /**
     * defaultImagePullPolicy is Always for an image without tag or with tag {@code latest} (a moving
     * target), IfNotPresent otherwise, and IfNotPresent for an image pinned by digest. A colon in the
     * registry host ({@code host:5000/app}) is a port, not a tag.
     */
    public static String defaultImagePullPolicy(String image) {
        if (image == null || image.isEmpty() || image.contains("@")) {
            return PULL_IF_NOT_PRESENT;
        }
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        int colon = lastPart.lastIndexOf(':');
        String tag = colon < 0 ? "latest" : lastPart.substring(colon + 1);
        return "latest".equals(tag) ? PULL_ALWAYS : PULL_IF_NOT_PRESENT;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
