package io.dsplane.contracts.registry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.contracts.api.FieldSelector;
import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.api.LabelSelector;
import io.dsplane.contracts.api.MergePatch;
import io.dsplane.contracts.api.NameValidation;
import io.dsplane.contracts.api.ApiException;
import io.dsplane.contracts.api.Statuses;
import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.ResourceEvent;
import io.dsplane.contracts.registry.RegistryRows.Key;
import io.dsplane.contracts.registry.RegistryRows.Row;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;

/**
 * ObjectRegistry stores the objects of one kind and announces every change on the kind's state topic
 * through the outbox, in the same transaction: the generic part of the upstream API server's
 * registry. Callers run every method inside a transaction; a method that throws leaves nothing
 * stored and nothing queued, because the transaction is rolled back. A kind without a topic is stored
 * the same way and announces nothing.
 *
 * <p>The rows are read and written with plain JDBC ({@link RegistryRows}); the bulk methods
 * ({@link #findAll}, {@link #createAll}) serve consumers that apply a batch of changes in one
 * transaction with a few statements instead of several per object.
 */
public class ObjectRegistry<T extends HasMetadata> {

    private static final String GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    /** 5: the random suffix length of generateName upstream. */
    private static final int GENERATED_SUFFIX = 5;
    private static final int MAX_GENERATE_NAME_PREFIX = NameValidation.DNS1123_LABEL_MAX - GENERATED_SUFFIX;

    private final ResourceKind kind;
    private final Class<T> type;
    private final RegistryStrategy<T> strategy;
    private final Map<String, Function<T, String>> fields;
    private final Function<T, String> nodeNameOf;
    private final Runnable onOutboxWrite;

    /**
     * @param fields        the fields a fieldSelector may use beyond metadata.name/namespace
     * @param nodeNameOf    the value of the node_name column (null function when the kind has none)
     * @param onOutboxWrite called after an event row is queued, to wake the relay after commit
     */
    public ObjectRegistry(ResourceKind kind, Class<T> type, RegistryStrategy<T> strategy,
            Map<String, Function<T, String>> fields, Function<T, String> nodeNameOf, Runnable onOutboxWrite) {
        this.kind = kind;
        this.type = type;
        this.strategy = strategy;
        this.fields = Map.copyOf(fields);
        this.nodeNameOf = nodeNameOf;
        this.onOutboxWrite = onOutboxWrite;
    }

    public ResourceKind kind() {
        return kind;
    }

    // ---------------------------------------------------------------- reads

    /** get returns the object or answers 404. */
    public T get(String namespace, String name) {
        return find(namespace, name).orElseThrow(() -> Statuses.notFound(kind.group(), kind.resource(), name));
    }

    public Optional<T> find(String namespace, String name) {
        return row(namespace, name, false).map(this::decode);
    }

    /** List is one page of objects plus the registry's resourceVersion at the time of the read. */
    public record ListResult<T>(List<T> items, long resourceVersion) {
    }

    /**
     * list returns the objects in a namespace (or all namespaces when null) that match both selectors.
     * Selector syntax errors are answered with 400 BadRequest.
     */
    public ListResult<T> list(String namespace, String labelSelector, String fieldSelector) {
        LabelSelector labels;
        FieldSelector fieldSel;
        try {
            labels = LabelSelector.parse(labelSelector);
            fieldSel = FieldSelector.parse(fieldSelector, supportedFields());
        } catch (IllegalArgumentException e) {
            throw Statuses.badRequest("unable to parse requirement: " + e.getMessage());
        }
        long rv = currentResourceVersion();
        StringBuilder q = new StringBuilder("kind = ?");
        List<Object> params = new ArrayList<>();
        params.add(kind.kind());
        if (namespace != null) {
            q.append(" AND namespace = ?");
            params.add(namespace);
        }
        String nodeName = fieldSel.equalityValue("spec.nodeName");
        if (nodeName != null && nodeNameOf != null) {
            q.append(" AND node_name = ?");
            params.add(nodeName);
        }
        q.append(" ORDER BY namespace, name");
        List<Row> rows = RegistryRows.selectWhere(q.toString(), params.toArray());
        List<T> items = new ArrayList<>(rows.size());
        for (Row row : rows) {
            T obj = decode(row);
            if (labels.matches(obj.getMetadata().getLabels()) && fieldSel.matches(f -> fieldValue(obj, f))) {
                items.add(obj);
            }
        }
        return new ListResult<>(items, rv);
    }

    /** listJson renders a list as the Kubernetes {@code <Kind>List} object. */
    public ObjectNode listJson(ListResult<T> result) {
        ObjectNode list = KubeJson.json().createObjectNode();
        list.put("apiVersion", kind.apiVersion());
        list.put("kind", kind.kind() + "List");
        list.putObject("metadata").put("resourceVersion", Long.toString(result.resourceVersion()));
        ArrayNode items = list.putArray("items");
        for (T item : result.items()) {
            items.add(KubeBodies.toTree(item));
        }
        return list;
    }

    private Set<String> supportedFields() {
        Set<String> s = new java.util.HashSet<>(fields.keySet());
        s.add("metadata.name");
        if (kind.namespaced()) {
            s.add("metadata.namespace");
        }
        return s;
    }

    private String fieldValue(T obj, String field) {
        return switch (field) {
            case "metadata.name" -> obj.getMetadata().getName();
            case "metadata.namespace" -> obj.getMetadata().getNamespace();
            default -> fields.get(field).apply(obj);
        };
    }

    /** findByNodeName returns the objects whose node_name column equals {@code nodeName}. */
    public List<T> findByNodeName(String nodeName) {
        return RegistryRows.selectWhere("kind = ? AND node_name = ?", kind.kind(), nodeName).stream()
                .map(this::decode).toList();
    }

    /** findByOwnerUid returns the objects whose controller ownerReference has this uid. */
    public List<T> findByOwnerUid(String ownerUid) {
        return RegistryRows.selectWhere("owner_uid = ? AND kind = ?", ownerUid, kind.kind()).stream()
                .map(this::decode).toList();
    }

    /**
     * findAll reads the objects of many namespace/name pairs in one statement: the map holds the ones
     * that exist, keyed by {@link #key}.
     */
    public Map<String, T> findAll(java.util.Collection<String[]> namespaceAndNames) {
        List<Key> keys = new ArrayList<>(namespaceAndNames.size());
        for (String[] nn : namespaceAndNames) {
            keys.add(new Key(nsKey(nn[0]), nn[1]));
        }
        Map<String, T> found = new java.util.HashMap<>();
        RegistryRows.selectAll(kind.kind(), keys, false).forEach((k, row) -> found.put(key(k.namespace(), k.name()),
                decode(row)));
        return found;
    }

    /** key is the map key of {@link #findAll}: namespace/name, or name for a cluster-scoped kind. */
    public String key(String namespace, String name) {
        return kind.namespaced() ? (namespace == null ? "" : namespace) + "/" + name : name;
    }

    public long currentResourceVersion() {
        return RegistryRows.currentVersion();
    }

    // ---------------------------------------------------------------- writes

    /**
     * create stores a new object: checks kind and namespace, applies the strategy's defaults and
     * validation, sets uid, resourceVersion, creationTimestamp and generation, and queues ADDED.
     *
     * @param pathNamespace the namespace of the URL (null for cluster-scoped kinds)
     */
    public T create(String pathNamespace, T obj) {
        prepareNew(pathNamespace, obj);
        ObjectMeta meta = obj.getMetadata();
        if (store(List.of(obj)).isEmpty()) {
            throw Statuses.alreadyExists(kind.group(), kind.resource(), meta.getName());
        }
        return obj;
    }

    /**
     * Created is the outcome of one object of {@link #createAll}: the stored object, or the error a
     * {@link #create} of it would have thrown (then nothing of it is stored).
     */
    public record Created<T>(T stored, ApiException error) {
    }

    /**
     * createAll stores many new objects as {@link #create} does one each (pathNamespace = the object's
     * own namespace), with one block of resourceVersions, one insert (which skips names already
     * taken) and one batch of events for all of them. An object that is invalid or whose name is taken (also by an earlier
     * object of the same call) is refused on its own; the outcomes are in the order of {@code objects}.
     */
    public List<Created<T>> createAll(List<T> objects) {
        return createAll(java.util.Collections.nCopies(objects.size(), null), objects);
    }

    /**
     * createAll with the namespace of each object's URL ({@code pathNamespaces}, in the order of
     * {@code objects}; null where the object's own namespace applies), as {@link #create} takes it.
     */
    public List<Created<T>> createAll(List<String> pathNamespaces, List<T> objects) {
        if (pathNamespaces.size() != objects.size()) {
            throw new IllegalArgumentException(pathNamespaces.size() + " namespaces for " + objects.size() + " objects");
        }
        List<ApiException> errors = new ArrayList<>(objects.size());
        java.util.Set<Key> claimed = new java.util.HashSet<>();
        List<T> toStore = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            T obj = objects.get(i);
            try {
                prepareNew(pathNamespaces.get(i), obj);
            } catch (ApiException e) {
                errors.add(e);
                continue;
            }
            ObjectMeta meta = obj.getMetadata();
            // An earlier object of this call with the same name takes it; the insert skips names
            // already stored, so no lookup before it.
            errors.add(claimed.add(new Key(ns(meta), meta.getName())) ? null
                    : Statuses.alreadyExists(kind.group(), kind.resource(), meta.getName()));
            if (errors.get(i) == null) {
                toStore.add(obj);
            }
        }
        Set<T> stored = store(toStore);
        List<Created<T>> outcomes = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            T obj = objects.get(i);
            if (errors.get(i) == null && !stored.contains(obj)) {
                errors.set(i, Statuses.alreadyExists(kind.group(), kind.resource(), obj.getMetadata().getName()));
            }
            outcomes.add(errors.get(i) == null ? new Created<>(obj, null) : new Created<>(null, errors.get(i)));
        }
        return outcomes;
    }

    /** prepareNew checks, defaults and validates a new object, as the first half of {@link #create}. */
    private void prepareNew(String pathNamespace, T obj) {
        checkKind(obj);
        ObjectMeta meta = obj.getMetadata() == null ? new ObjectMeta() : obj.getMetadata();
        obj.setMetadata(meta);
        adoptNamespace(pathNamespace, meta);
        if ((meta.getName() == null || meta.getName().isEmpty()) && meta.getGenerateName() != null
                && !meta.getGenerateName().isEmpty()) {
            meta.setName(generateName(meta.getGenerateName()));
        }
        strategy.prepareForCreate(obj);
        FieldErrors errors = new FieldErrors();
        NameValidation.validateObjectMeta(meta, kind.namespaced(), errors);
        strategy.validate(obj, errors);
        errors.throwIfAny(kind.group(), kind.kind(), meta.getName());
    }

    /**
     * store inserts prepared new objects and queues ADDED events for the ones it stored, which it
     * returns (by identity). An object is left out when its name was taken after the existence check,
     * by a transaction that committed meanwhile: that object's create answers AlreadyExists, as it
     * would had the rival committed first, and the rest are stored.
     */
    private Set<T> store(List<T> objects) {
        Set<T> stored = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        if (objects.isEmpty()) {
            return stored;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long[] versions = RegistryRows.nextVersions(objects.size());
        List<RegistryRows.NewRow> rows = new ArrayList<>(objects.size());
        List<String> bodies = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            T obj = objects.get(i);
            ObjectMeta meta = obj.getMetadata();
            meta.setUid(UUID.randomUUID().toString());
            meta.setCreationTimestamp(now.toString());
            meta.setGeneration(1L);
            meta.setDeletionTimestamp(null);
            meta.setManagedFields(null);
            meta.setResourceVersion(Long.toString(versions[i]));
            obj.setApiVersion(kind.apiVersion());
            String body = KubeBodies.write(obj);
            bodies.add(body);
            rows.add(new RegistryRows.NewRow(kind.kind(), ns(meta), meta.getName(), meta.getUid(), versions[i],
                    nodeNameOf(obj), controllerUid(obj), body, now));
        }
        Set<Key> inserted = RegistryRows.insertFree(rows);
        List<RegistryRows.Event> events = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            T obj = objects.get(i);
            if (inserted.contains(new Key(ns(obj.getMetadata()), obj.getMetadata().getName()))) {
                stored.add(obj);
                event(EventType.ADDED, obj, bodies.get(i), events);
            }
        }
        queue(events);
        return stored;
    }

    /**
     * update replaces an object (PUT). A stale metadata.resourceVersion answers 409 Conflict; an empty
     * one means "whatever is current". Status, uid, creationTimestamp and generation come from the
     * stored object; generation is bumped when the spec changes.
     */
    public T update(String pathNamespace, String name, T obj) {
        checkKind(obj);
        ObjectMeta meta = obj.getMetadata() == null ? new ObjectMeta() : obj.getMetadata();
        obj.setMetadata(meta);
        adoptNamespace(pathNamespace, meta);
        checkName(name, meta);
        Row row = row(ns(meta), name, true)
                .orElseThrow(() -> Statuses.notFound(kind.group(), kind.resource(), name));
        T old = decode(row);
        checkResourceVersion(meta, row);
        T next = withField(obj, "status", jsonOf(old, "status"));
        copyImmutableMeta(old, next);
        strategy.prepareForUpdate(next, old);
        if (strategy.specChanged(KubeBodies.toTree(next), KubeBodies.toTree(old))) {
            next.getMetadata().setGeneration(generation(old) + 1);
        }
        FieldErrors errors = new FieldErrors();
        NameValidation.validateObjectMeta(next.getMetadata(), kind.namespaced(), errors);
        strategy.validateUpdate(next, old, errors);
        errors.throwIfAny(kind.group(), kind.kind(), name);
        return write(row, next);
    }

    /** patch applies a JSON merge patch to the stored object and then behaves as {@link #update}. */
    public T patch(String namespace, String name, JsonNode patch) {
        T current = get(namespace, name);
        JsonNode patched = MergePatch.apply(KubeBodies.toTree(current), patch);
        T obj = KubeBodies.convert(patched, type);
        if (!patch.path("metadata").has("resourceVersion")) {
            obj.getMetadata().setResourceVersion(null);
        }
        return update(namespace, name, obj);
    }

    /**
     * updateStatus replaces only the status (PUT .../status): everything else comes from the stored
     * object, so a status writer can never change the spec or metadata.
     */
    public T updateStatus(String pathNamespace, String name, T obj) {
        checkKind(obj);
        ObjectMeta meta = obj.getMetadata() == null ? new ObjectMeta() : obj.getMetadata();
        obj.setMetadata(meta);
        adoptNamespace(pathNamespace, meta);
        checkName(name, meta);
        Row row = row(ns(meta), name, true)
                .orElseThrow(() -> Statuses.notFound(kind.group(), kind.resource(), name));
        T old = decode(row);
        checkResourceVersion(meta, row);
        T next = withField(old, "status", jsonOf(obj, "status"));
        FieldErrors errors = new FieldErrors();
        strategy.validateStatusUpdate(next, old, errors);
        errors.throwIfAny(kind.group(), kind.kind(), name);
        return write(row, next);
    }

    /** patchStatus applies a merge patch and keeps only its effect on the status. */
    public T patchStatus(String namespace, String name, JsonNode patch) {
        T current = get(namespace, name);
        JsonNode patched = MergePatch.apply(KubeBodies.toTree(current), patch);
        T obj = KubeBodies.convert(patched, type);
        if (!patch.path("metadata").has("resourceVersion")) {
            obj.getMetadata().setResourceVersion(null);
        }
        return updateStatus(namespace, name, obj);
    }

    /**
     * modify is the write path of the service's own controllers and consumers: it applies
     * {@code change} to the current object under a row lock and stores the result when it differs.
     * Returns the stored object (unchanged when the change was a no-op, so no event is emitted).
     */
    public Optional<T> modify(String namespace, String name, java.util.function.UnaryOperator<T> change) {
        return modifyAll(List.of(new Modification<>(namespace, name, change))).get(0);
    }

    /** Modification is one change of {@link #modifyAll}: the object's namespace (null if cluster-scoped), name and change. */
    public record Modification<T>(String namespace, String name, java.util.function.UnaryOperator<T> change) {
    }

    /**
     * modifyAll applies many changes as {@link #modify} does one each, with one locking read (rows
     * locked in key order, so concurrent batches never deadlock), one block of resourceVersions and one
     * batch of updates and events. The results are in the order of {@code changes}: empty for an
     * object that does not exist. Each object may be named once.
     */
    public List<Optional<T>> modifyAll(List<Modification<T>> changes) {
        List<Key> keys = new ArrayList<>(changes.size());
        for (Modification<T> m : changes) {
            keys.add(new Key(nsKey(m.namespace()), m.name()));
        }
        Map<Key, Row> rows = RegistryRows.selectAll(kind.kind(), keys, true);
        List<Optional<T>> results = new ArrayList<>(changes.size());
        List<Row> changedRows = new ArrayList<>();
        List<T> changed = new ArrayList<>();
        List<Integer> changedAt = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Row row = rows.get(keys.get(i));
            if (row == null) {
                results.add(Optional.empty());
                continue;
            }
            T old = decode(row);
            // One tree of the old object serves the copy the change works on, the no-op test and the
            // spec comparison; the changed object is rendered once, for both tests.
            JsonNode oldTree = KubeBodies.toTree(old);
            T next = changes.get(i).change().apply(KubeBodies.convert(oldTree, type));
            results.add(Optional.of(old));
            if (next == null) {
                continue;
            }
            JsonNode nextTree = KubeBodies.toTree(next);
            if (nextTree.equals(oldTree)) {
                continue;
            }
            copyImmutableMeta(old, next);
            if (strategy.specChanged(nextTree, oldTree)) {
                next.getMetadata().setGeneration(generation(old) + 1);
            }
            changedRows.add(row);
            changed.add(next);
            changedAt.add(i);
        }
        write(changedRows, changed);
        for (int j = 0; j < changed.size(); j++) {
            results.set(changedAt.get(j), Optional.of(changed.get(j)));
        }
        return results;
    }

    /**
     * delete removes an object and queues DELETED (its last state with a new resourceVersion) followed
     * by a tombstone, so a compacted topic eventually forgets it.
     */
    public T delete(String namespace, String name) {
        Row row = row(namespace, name, true)
                .orElseThrow(() -> Statuses.notFound(kind.group(), kind.resource(), name));
        T obj = decode(row);
        remove(List.of(row), List.of(obj));
        return obj;
    }

    /** Removal names one object for {@link #deleteAllIfPresent}; {@code uid} null means any incarnation. */
    public record Removal(String namespace, String name, String uid) {
    }

    /**
     * deleteAllIfPresent removes many objects as {@link #deleteIfPresent} does one each, with one
     * locking read (rows locked in key order), one block of resourceVersions, one delete and one batch
     * of events. Outcomes are in the order of {@code removals}; an object named twice is removed by the
     * first and absent for the second.
     */
    public List<Optional<T>> deleteAllIfPresent(List<Removal> removals) {
        List<Key> keys = new ArrayList<>(removals.size());
        for (Removal r : removals) {
            keys.add(new Key(nsKey(r.namespace()), r.name()));
        }
        Map<Key, Row> rows = RegistryRows.selectAll(kind.kind(), keys, true);
        java.util.Set<Key> removed = new java.util.HashSet<>();
        List<Optional<T>> outcomes = new ArrayList<>(removals.size());
        List<Row> goneRows = new ArrayList<>();
        List<T> gone = new ArrayList<>();
        for (int i = 0; i < removals.size(); i++) {
            Row row = rows.get(keys.get(i));
            String uid = removals.get(i).uid();
            if (row == null || (uid != null && !uid.equals(row.uid())) || !removed.add(keys.get(i))) {
                outcomes.add(Optional.empty());
                continue;
            }
            T obj = decode(row);
            goneRows.add(row);
            gone.add(obj);
            outcomes.add(Optional.of(obj));
        }
        remove(goneRows, gone);
        return outcomes;
    }

    /** remove deletes the rows and queues DELETED (at a new resourceVersion) and a tombstone for each object. */
    private void remove(List<Row> rows, List<T> objects) {
        if (rows.isEmpty()) {
            return;
        }
        long[] versions = RegistryRows.nextVersions(objects.size());
        long[] ids = new long[rows.size()];
        List<RegistryRows.Event> events = new ArrayList<>(2 * objects.size());
        for (int i = 0; i < objects.size(); i++) {
            T obj = objects.get(i);
            obj.getMetadata().setResourceVersion(Long.toString(versions[i]));
            ids[i] = rows.get(i).id();
            event(EventType.DELETED, obj, KubeBodies.write(obj), events);
            if (kind.topic() != null) {
                // The tombstone lets a compacted topic forget the object.
                events.add(new RegistryRows.Event(kind.topic(), eventKey(obj), strategy.partitionKey(obj), null));
            }
        }
        RegistryRows.delete(ids);
        queue(events);
    }

    /** deleteIfPresent removes the object when it exists (and, if uid is given, only when the uid matches). */
    public Optional<T> deleteIfPresent(String namespace, String name, String uid) {
        Optional<Row> row = row(namespace, name, true);
        if (row.isEmpty() || (uid != null && !uid.equals(row.get().uid()))) {
            return Optional.empty();
        }
        return Optional.of(delete(namespace, name));
    }

    /**
     * markForDeletion starts a graceful deletion, as the API server does for a pod bound to a node:
     * the object stays, with {@code metadata.deletionTimestamp} = {@code now + graceSeconds} and
     * {@code deletionGracePeriodSeconds}, until {@link #deleteIfPresent} removes it. Returns empty when the
     * object is absent or has another uid; an object already terminating is returned unchanged (a
     * deletion that is under way is never restarted or lengthened).
     */
    public Optional<T> markForDeletion(String namespace, String name, String uid, Instant now, long graceSeconds) {
        Optional<Row> found = row(namespace, name, true);
        if (found.isEmpty() || (uid != null && !uid.equals(found.get().uid()))) {
            return Optional.empty();
        }
        T obj = decode(found.get());
        if (obj.getMetadata().getDeletionTimestamp() != null) {
            return Optional.of(obj);
        }
        obj.getMetadata().setDeletionTimestamp(now.plusSeconds(graceSeconds).truncatedTo(ChronoUnit.SECONDS).toString());
        obj.getMetadata().setDeletionGracePeriodSeconds(graceSeconds);
        return Optional.of(write(found.get(), obj));
    }

    /**
     * deletionDue returns up to {@code limit} objects whose graceful deletion period has passed at
     * {@code now} (oldest deletionTimestamp first).
     */
    public List<T> deletionDue(Instant now, int limit) {
        return RegistryRows.selectWhere("kind = ? AND (body->'metadata'->>'deletionTimestamp') IS NOT NULL"
                + " AND (body->'metadata'->>'deletionTimestamp')::timestamptz <= ?"
                + " ORDER BY (body->'metadata'->>'deletionTimestamp')::timestamptz LIMIT ?", kind.kind(), now, limit)
                .stream().map(this::decode).toList();
    }

    // ---------------------------------------------------------------- helpers

    private T write(Row row, T obj) {
        write(List.of(row), List.of(obj));
        return obj;
    }

    /** write stores new versions of objects (row i gets object i) and queues their MODIFIED events. */
    private void write(List<Row> rows, List<T> objects) {
        if (objects.isEmpty()) {
            return;
        }
        long[] versions = RegistryRows.nextVersions(objects.size());
        List<RegistryRows.Change> updates = new ArrayList<>(objects.size());
        List<RegistryRows.Event> events = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            T obj = objects.get(i);
            obj.getMetadata().setResourceVersion(Long.toString(versions[i]));
            obj.setApiVersion(kind.apiVersion());
            String body = KubeBodies.write(obj);
            updates.add(new RegistryRows.Change(rows.get(i).id(), versions[i], nodeNameOf(obj), controllerUid(obj), body));
            event(EventType.MODIFIED, obj, body, events);
        }
        RegistryRows.update(updates);
        queue(events);
    }

    private String nodeNameOf(T obj) {
        return nodeNameOf == null ? null : nodeNameOf.apply(obj);
    }

    private static String controllerUid(HasMetadata obj) {
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        if (refs == null) {
            return null;
        }
        for (OwnerReference ref : refs) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return ref.getUid();
            }
        }
        return null;
    }

    /** event adds the event of a change to {@code events}, with the object's JSON as written to its row. */
    private void event(EventType type, T obj, String body, List<RegistryRows.Event> events) {
        if (kind.topic() != null) {
            events.add(new RegistryRows.Event(kind.topic(), eventKey(obj), strategy.partitionKey(obj),
                    eventPayload(type, obj.getMetadata().getResourceVersion(), Instant.now(), body)));
        }
    }

    private void queue(List<RegistryRows.Event> events) {
        if (!events.isEmpty()) {
            RegistryRows.queue(events);
            onOutboxWrite.run();
        }
    }

    private String eventKey(T obj) {
        return kind.eventKey(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }

    /**
     * eventPayload is the JSON of a {@link ResourceEvent} whose object is {@code objectJson}: the object is
     * serialized once, for its row, and the same text goes into the event.
     */
    static String eventPayload(EventType type, String resourceVersion, Instant timestamp, String objectJson) {
        ObjectNode event = KubeJson.json().createObjectNode();
        event.put("schemaVersion", ResourceEvent.SCHEMA_VERSION);
        event.put("eventId", UUID.randomUUID().toString());
        event.set("type", KubeJson.json().valueToTree(type));
        event.put("resourceVersion", resourceVersion);
        event.set("timestamp", KubeJson.json().valueToTree(timestamp));
        event.putRawValue("object", new RawValue(objectJson));
        return KubeBodies.write(event);
    }

    private Optional<Row> row(String namespace, String name, boolean lock) {
        return RegistryRows.select(kind.kind(), nsKey(namespace), name, lock);
    }

    private String nsKey(String namespace) {
        return kind.namespaced() ? (namespace == null ? "" : namespace) : "";
    }

    private T decode(Row row) {
        try {
            return KubeJson.json().readValue(row.body(), type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored " + kind.kind() + " " + row.name() + " is not readable", e);
        }
    }

    private String ns(ObjectMeta meta) {
        return kind.namespaced() ? meta.getNamespace() : "";
    }

    private void checkKind(T obj) {
        if (obj.getKind() != null && !obj.getKind().isEmpty() && !obj.getKind().equals(kind.kind())) {
            throw Statuses.badRequest("the object kind \"" + obj.getKind() + "\" does not match the kind \""
                    + kind.kind() + "\" of the request");
        }
        if (obj.getApiVersion() != null && !obj.getApiVersion().isEmpty()
                && !obj.getApiVersion().equals(kind.apiVersion())) {
            throw Statuses.badRequest("the apiVersion \"" + obj.getApiVersion() + "\" is not served here; use \""
                    + kind.apiVersion() + "\"");
        }
    }

    private void adoptNamespace(String pathNamespace, ObjectMeta meta) {
        if (!kind.namespaced()) {
            return;
        }
        if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
            meta.setNamespace(pathNamespace);
        } else if (pathNamespace != null && !pathNamespace.equals(meta.getNamespace())) {
            throw Statuses.badRequest("the namespace of the provided object does not match the namespace sent on"
                    + " the request");
        }
    }

    private void checkName(String pathName, ObjectMeta meta) {
        if (meta.getName() == null || meta.getName().isEmpty()) {
            meta.setName(pathName);
        } else if (!meta.getName().equals(pathName)) {
            throw Statuses.badRequest("the name of the object (" + meta.getName()
                    + ") does not match the name on the URL (" + pathName + ")");
        }
    }

    private void checkResourceVersion(ObjectMeta meta, Row row) {
        String rv = meta.getResourceVersion();
        if (rv != null && !rv.isEmpty() && !rv.equals(Long.toString(row.resourceVersion()))) {
            throw Statuses.conflict(kind.group(), kind.resource(), row.name(),
                    "the object has been modified; please apply your changes to the latest version and try again");
        }
    }

    private static void copyImmutableMeta(HasMetadata from, HasMetadata to) {
        ObjectMeta a = from.getMetadata();
        ObjectMeta b = to.getMetadata();
        b.setUid(a.getUid());
        b.setCreationTimestamp(a.getCreationTimestamp());
        b.setGeneration(a.getGeneration());
        b.setDeletionTimestamp(a.getDeletionTimestamp());
        b.setDeletionGracePeriodSeconds(a.getDeletionGracePeriodSeconds());
        b.setNamespace(a.getNamespace());
        b.setName(a.getName());
        b.setManagedFields(null);
    }

    private static long generation(HasMetadata obj) {
        Long g = obj.getMetadata().getGeneration();
        return g == null ? 1 : g;
    }

    private static String generateName(String prefix) {
        String base = prefix.length() > MAX_GENERATE_NAME_PREFIX ? prefix.substring(0, MAX_GENERATE_NAME_PREFIX)
                : prefix;
        StringBuilder sb = new StringBuilder(base);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < GENERATED_SUFFIX; i++) {
            sb.append(GENERATE_NAME_ALPHABET.charAt(r.nextInt(GENERATE_NAME_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** jsonOf returns one top-level field of an object as JSON (NullNode when absent). */
    public static JsonNode jsonOf(HasMetadata obj, String field) {
        JsonNode n = KubeBodies.toTree(obj).get(field);
        return n == null ? NullNode.getInstance() : n;
    }

    /** withField returns a copy of {@code base} whose top-level {@code field} is {@code value} (removed when null). */
    private T withField(T base, String field, JsonNode value) {
        ObjectNode tree = (ObjectNode) KubeBodies.toTree(base);
        if (value == null || value.isNull()) {
            tree.remove(field);
        } else {
            tree.set(field, value);
        }
        return KubeBodies.convert(tree, type);
    }
}
