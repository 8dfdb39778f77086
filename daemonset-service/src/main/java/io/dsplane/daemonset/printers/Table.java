package io.dsplane.daemonset.printers;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.KubeJson;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Table is the {@code meta.k8s.io} Table a client gets when it asks for {@code as=Table} (what
 * {@code kubectl get} prints): column definitions, then one row of cells per object with the object
 * itself, its metadata only, or nothing, as {@code includeObject} asks.
 *
 * @param apiVersion {@code meta.k8s.io/v1} or {@code meta.k8s.io/v1beta1}, as requested
 * @param metadata   the resourceVersion of the list, or of the object for a single object
 */
@JsonPropertyOrder({ "kind", "apiVersion", "metadata", "columnDefinitions", "rows" })
public record Table(String kind, String apiVersion, Meta metadata, List<ColumnDefinition> columnDefinitions,
        List<Row> rows) {

    /** The API group of Table and PartialObjectMetadata. */
    public static final String GROUP = "meta.k8s.io";

    /** Meta is the ListMeta of a Table; only resourceVersion is set here. */
    public record Meta(String resourceVersion) {
    }

    /**
     * ColumnDefinition describes a column. {@code priority} 0 columns are always shown; higher ones only
     * in wide output ({@code kubectl get -o wide}). Every field is always serialised, as upstream.
     *
     * @param type   the OpenAPI type of the cells: {@code string} or {@code integer}
     * @param format an OpenAPI format hint; {@code name} marks the column identifying the object
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({ "name", "type", "format", "description", "priority" })
    public record ColumnDefinition(String name, String type, String format, String description, int priority) {

        public static ColumnDefinition string(String name, String format, String description, int priority) {
            return new ColumnDefinition(name, "string", format, description, priority);
        }

        public static ColumnDefinition integer(String name, String description) {
            return new ColumnDefinition(name, "integer", "", description, 0);
        }
    }

    /** Row is the cells of one object in column order, and the object as {@code includeObject} asks (null: none). */
    @JsonPropertyOrder({ "cells", "object" })
    public record Row(List<Object> cells, JsonNode object) {
    }

    /** of assembles a Table of the requested version. */
    public static Table of(TableRequest request, String resourceVersion, List<ColumnDefinition> columns,
            List<Row> rows) {
        return new Table("Table", GROUP + "/" + request.version(), new Meta(resourceVersion), columns, rows);
    }

    /**
     * rowObject is what a row carries of its object: the whole object, or a {@code PartialObjectMetadata}
     * with its metadata (the default), or null.
     */
    public static JsonNode rowObject(HasMetadata obj, TableRequest request) {
        return switch (request.includeObject()) {
            case NONE -> null;
            case OBJECT -> KubeBodies.toTree(obj);
            case METADATA -> {
                ObjectNode partial = KubeJson.json().createObjectNode();
                partial.put("kind", "PartialObjectMetadata");
                partial.put("apiVersion", GROUP + "/" + request.version());
                partial.set("metadata", KubeBodies.toTree(obj.getMetadata()));
                yield partial;
            }
        };
    }
}
