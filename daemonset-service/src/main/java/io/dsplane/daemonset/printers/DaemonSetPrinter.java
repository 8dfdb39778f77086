package io.dsplane.daemonset.printers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import io.dsplane.contracts.api.LabelSelector;
import io.dsplane.contracts.api.Requirement;
import io.dsplane.daemonset.printers.Table.ColumnDefinition;
import io.dsplane.daemonset.printers.Table.Row;
import io.dsplane.daemonset.status.DaemonSetStatusCalculator.Counters;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * DaemonSetPrinter is the Table of {@code kubectl get daemonsets} (kubernetes-semantics.md §4.1,
 * upstream {@code printDaemonSet} / {@code printDaemonSetList}). Column names are sent as upstream's
 * API server sends them ("Up-to-date", "Node Selector"); kubectl prints them upper-cased. Plain Java:
 * {@code now} comes in, for the AGE column.
 */
public final class DaemonSetPrinter {

    /** Shown for a selector that cannot be turned into requirements (upstream FormatLabelSelector). */
    static final String ERROR = "<error>";
    /** Shown for an empty selector or label map. */
    static final String NONE = "<none>";

    /** The columns, in order; the last three only in wide output (priority 1). */
    public static final List<ColumnDefinition> DAEMONSET_COLUMN_DEFINITIONS = List.of(
            ColumnDefinition.string("Name", "name", "Name of the DaemonSet, unique within its namespace.", 0),
            ColumnDefinition.integer("Desired", "Nodes that should run the daemon pod."),
            ColumnDefinition.integer("Current", "Nodes that should run the daemon pod and run at least one."),
            ColumnDefinition.integer("Ready", "Nodes that should run the daemon pod and whose oldest one is ready."),
            ColumnDefinition.integer("Up-to-date", "Nodes running a daemon pod of the current template."),
            ColumnDefinition.integer("Available",
                    "Nodes that should run the daemon pod and whose oldest one is ready for minReadySeconds."),
            ColumnDefinition.string("Node Selector", "",
                    "The pod template's nodeSelector: labels a node must have to run the daemon pod.", 0),
            ColumnDefinition.string("Age", "", "Time since the DaemonSet was created.", 0),
            ColumnDefinition.string("Containers", "", "Names of the containers of the pod template.", 1),
            ColumnDefinition.string("Images", "", "Images of the containers of the pod template.", 1),
            ColumnDefinition.string("Selector", "", "The label selector of the pods the DaemonSet owns.", 1));

    private DaemonSetPrinter() {
    }

    /** printDaemonSetList is the Table of a list: one row per DaemonSet, in list order. */
    public static Table printDaemonSetList(List<DaemonSet> items, String resourceVersion, TableRequest request,
            Instant now) {
        List<Row> rows = new ArrayList<>(items.size());
        for (DaemonSet ds : items) {
            rows.add(new Row(printDaemonSet(ds, now), Table.rowObject(ds, request)));
        }
        return Table.of(request, resourceVersion, DAEMONSET_COLUMN_DEFINITIONS, rows);
    }

    /** printDaemonSet is the Table of a single DaemonSet, with its own resourceVersion. */
    public static Table printDaemonSet(DaemonSet ds, TableRequest request, Instant now) {
        return Table.of(request, ds.getMetadata().getResourceVersion(), DAEMONSET_COLUMN_DEFINITIONS,
                List.of(new Row(printDaemonSet(ds, now), Table.rowObject(ds, request))));
    }

    /** printDaemonSet is the cells of one row, in the order of {@link #DAEMONSET_COLUMN_DEFINITIONS}. */
    public static List<Object> printDaemonSet(DaemonSet ds, Instant now) {
        Counters c = Counters.of(ds.getStatus());
        PodSpec pod = ds.getSpec() == null || ds.getSpec().getTemplate() == null ? null
                : ds.getSpec().getTemplate().getSpec();
        List<Container> containers = pod == null || pod.getContainers() == null ? List.of() : pod.getContainers();
        List<Object> cells = new ArrayList<>(DAEMONSET_COLUMN_DEFINITIONS.size());
        cells.add(ds.getMetadata().getName());
        cells.add(c.desiredNumberScheduled());
        cells.add(c.currentNumberScheduled());
        cells.add(c.numberReady());
        cells.add(c.updatedNumberScheduled());
        cells.add(c.numberAvailable());
        cells.add(LabelSelector.formatLabels(pod == null ? null : pod.getNodeSelector()));
        cells.add(HumanDuration.translateTimestampSince(ds.getMetadata().getCreationTimestamp(), now));
        cells.add(containers.stream().map(k -> nullToEmpty(k.getName())).collect(Collectors.joining(",")));
        cells.add(containers.stream().map(k -> nullToEmpty(k.getImage())).collect(Collectors.joining(",")));
        cells.add(formatLabelSelector(ds.getSpec() == null ? null : ds.getSpec().getSelector()));
        return cells;
    }

    /**
     * formatLabelSelector renders a metav1.LabelSelector as kubectl does (metav1.FormatLabelSelector):
     * requirements sorted by key and comma-joined ({@code app=x}, {@code k!=v}, {@code tier in (a,b)} with
     * sorted values, {@code k}, {@code !k}); {@code <none>} when it has none (nil or empty selector);
     * {@code <error>} when it is invalid.
     */
    public static String formatLabelSelector(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        LabelSelector parsed;
        try {
            parsed = LabelSelector.fromObject(selector);
        } catch (IllegalArgumentException e) {
            return ERROR;
        }
        List<Requirement> requirements = new ArrayList<>(parsed.requirements());
        if (requirements.isEmpty()) {
            return NONE;
        }
        requirements.sort(Comparator.comparing(Requirement::key));
        return requirements.stream().map(DaemonSetPrinter::format).collect(Collectors.joining(","));
    }

    private static String format(Requirement r) {
        return switch (r.operator()) {
            case IN, NOT_IN -> r.key() + " " + r.operator().symbol() + " ("
                    + r.values().stream().sorted().collect(Collectors.joining(",")) + ")";
            default -> r.toString();
        };
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
