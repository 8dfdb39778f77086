{{/*
dsplane.deployment (component context, plus):
  env       the service's own environment variables (a list of EnvVar maps)
  database  true for the services that own a PostgreSQL schema
  stateDir  the scheduler's state directory settings (mountPath, sizeLimit), or nothing
The four services share one pod shape so that probes, security and placement cannot drift apart.
*/}}
{{- define "dsplane.deployment" -}}
{{- $root := .root }}
{{- $values := .values }}
{{- $createsSecret := and .database (not $root.Values.database.existingSecret) }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "dsplane.componentFullname" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "dsplane.labels" . | nindent 4 }}
spec:
  replicas: {{ $values.replicas }}
  selector:
    matchLabels:
      {{- include "dsplane.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "dsplane.labels" . | nindent 8 }}
        {{- with $values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- if or $values.podAnnotations $createsSecret }}
      annotations:
        {{- if $createsSecret }}
        # A new password restarts the pods, which read it only at start-up.
        checksum/database-secret: {{ include (print $root.Template.BasePath "/000-Secret-database.yaml") $root | sha256sum }}
        {{- end }}
        {{- with $values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "dsplane.serviceAccountName" $root }}
      automountServiceAccountToken: {{ $root.Values.serviceAccount.automountToken }}
      # No <SERVICE>_PORT variables for every Service of the namespace: one named kafka-* (Strimzi's
      # kafka-kafka-bootstrap) would add KAFKA_* variables, which Quarkus may take as Kafka settings.
      enableServiceLinks: false
      {{- with $root.Values.global.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "dsplane.image" . | quote }}
          imagePullPolicy: {{ $values.image.pullPolicy | default $root.Values.global.imagePullPolicy }}
          ports:
            - name: http
              containerPort: {{ $values.port }}
              protocol: TCP
          env:
            - name: HTTP_PORT
              value: {{ $values.port | quote }}
            {{- include "dsplane.kafkaEnv" $root | nindent 12 }}
            {{- if .database }}
            {{- include "dsplane.databaseEnv" $root | nindent 12 }}
            {{- end }}
            {{- with .env }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with $root.Values.global.javaToolOptions }}
            - name: JAVA_TOOL_OPTIONS
              value: {{ . | quote }}
            {{- end }}
            {{- with $values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/started
              port: http
            {{- toYaml $root.Values.probes.startup | nindent 12 }}
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: http
            {{- toYaml $root.Values.probes.readiness | nindent 12 }}
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: http
            {{- toYaml $root.Values.probes.liveness | nindent 12 }}
          {{- with $values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $root.Values.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            # The JVM, Vert.x and Netty write temporary files; the root file system stays read-only.
            - name: tmp
              mountPath: /tmp
            {{- with .stateDir }}
            - name: state
              mountPath: {{ .mountPath }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- with .stateDir }}
        - name: state
          emptyDir:
            {{- with .sizeLimit }}
            sizeLimit: {{ . }}
            {{- end }}
        {{- end }}
      {{- with $values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}

{{/*
dsplane.service (component context): the ClusterIP (or other type) Service in front of one service's
pods, port named "http" as the probes and the ServiceMonitor expect.
*/}}
{{- define "dsplane.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "dsplane.componentFullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "dsplane.labels" . | nindent 4 }}
  {{- with .values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .values.service.type }}
  selector:
    {{- include "dsplane.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .values.port }}
      targetPort: http
      protocol: TCP
{{- end }}
