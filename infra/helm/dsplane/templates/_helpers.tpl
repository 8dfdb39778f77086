{{/*
Helpers that take the root context (.) and helpers that take a component context, built by the
templates as (dict "root" $ "component" "pod-service" "values" .Values.podService): the component name
is the service's own name, the values are its section of values.yaml.
*/}}

{{/*
dsplane.name: the chart name (or nameOverride), the app.kubernetes.io/name label of every object.
*/}}
{{- define "dsplane.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
dsplane.fullname: prefix of every object name. The release name alone when it already contains the
chart name, so release "dsplane" gives "dsplane-pod-service" rather than "dsplane-dsplane-pod-service".
*/}}
{{- define "dsplane.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
dsplane.components: the four services, comma-separated, for templates that make one object each.
*/}}
{{- define "dsplane.components" -}}
node-registry-service,daemonset-service,scheduler-service,pod-service
{{- end }}

{{/*
dsplane.componentFullname (component context): name of a service's Deployment, Service and PDB.
*/}}
{{- define "dsplane.componentFullname" -}}
{{- printf "%s-%s" (include "dsplane.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
dsplane.commonLabels (root context): the labels every object of the release carries.
*/}}
{{- define "dsplane.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "dsplane.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: dsplane
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
dsplane.selectorLabels (component context): the labels that pick one service's pods. Deployments,
Services and PDBs select by exactly these; they never change after the install (a Deployment's
selector is immutable), which is why the version is not among them.
*/}}
{{- define "dsplane.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dsplane.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
dsplane.labels (component context): common labels plus the component.
*/}}
{{- define "dsplane.labels" -}}
{{ include "dsplane.commonLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
dsplane.image (component context): [global.imageRegistry/]repository:tag, the tag falling back to
global.imageTag and then to the chart's appVersion.
*/}}
{{- define "dsplane.image" -}}
{{- $global := .root.Values.global }}
{{- $repository := .values.image.repository }}
{{- with $global.imageRegistry }}
{{- $repository = printf "%s/%s" (trimSuffix "/" .) $repository }}
{{- end }}
{{- printf "%s:%s" $repository (.values.image.tag | default $global.imageTag | default .root.Chart.AppVersion | toString) }}
{{- end }}

{{/*
dsplane.serviceAccountName (root context): the ServiceAccount the pods run as.
*/}}
{{- define "dsplane.serviceAccountName" -}}
{{- if .Values.serviceAccount.enabled }}
{{- default (include "dsplane.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
dsplane.databaseSecretName (root context): the Secret holding the database password, either the
operator's (database.existingSecret) or the one this chart creates.
*/}}
{{- define "dsplane.databaseSecretName" -}}
{{- default (printf "%s-database" (include "dsplane.fullname" .)) .Values.database.existingSecret }}
{{- end }}

{{/*
dsplane.kafkaEnv (root context): the Kafka settings every service reads. The replication factor goes
in as DSPLANE_TOPICS_REPLICATION_FACTOR (dsplane.topics.replication-factor) because only the scheduler
maps it from an environment variable of its own.
*/}}
{{- define "dsplane.kafkaEnv" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: TOPIC_PARTITIONS
  value: {{ .Values.kafka.topicPartitions | quote }}
- name: DSPLANE_TOPICS_REPLICATION_FACTOR
  value: {{ .Values.kafka.topicReplicationFactor | quote }}
{{- end }}

{{/*
dsplane.databaseEnv (root context): the PostgreSQL connection of the services that own a schema; the
password only ever comes from a Secret.
*/}}
{{- define "dsplane.databaseEnv" -}}
- name: DB_URL
  value: {{ .Values.database.url | quote }}
- name: DB_USER
  value: {{ .Values.database.user | quote }}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "dsplane.databaseSecretName" . }}
      key: {{ .Values.database.passwordKey }}
{{- end }}
