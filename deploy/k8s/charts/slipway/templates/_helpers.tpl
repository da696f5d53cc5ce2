{{/* The four services: short name -> artifactId and port. */}}
{{- define "slipway.services" -}}
upload: {artifactId: upload-service, port: 8080}
staging: {artifactId: staging-service, port: 8081}
deploy: {artifactId: deploy-service, port: 8082}
routing: {artifactId: routing-service, port: 8083}
{{- end -}}

{{/* Labels of every object of one service; call with (dict "root" $ "svc" "upload"). */}}
{{- define "slipway.labels" -}}
{{ include "slipway.selector" . }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "slipway.selector" -}}
app.kubernetes.io/name: slipway
app.kubernetes.io/component: {{ .svc }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* Labels of the release's objects that belong to no one service (Secrets, policies). */}}
{{- define "slipway.commonLabels" -}}
app.kubernetes.io/name: slipway
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "slipway.keysSecret" -}}
{{ .Values.keys.existingSecret | default (printf "%s-keys" .Release.Name) }}
{{- end -}}

{{- define "slipway.s3Secret" -}}
{{ .Values.s3.existingSecret | default (printf "%s-s3" .Release.Name) }}
{{- end -}}

{{- define "slipway.registrySecret" -}}
{{ .Values.registry.existingSecret | default (printf "%s-registry" .Release.Name) }}
{{- end -}}

{{- define "slipway.adminSecret" -}}
{{ .Values.auth.existingSecret | default (printf "%s-admin" .Release.Name) }}
{{- end -}}

{{- define "slipway.apiHost" -}}
{{ .Values.ingress.host | default (printf "api.%s" .Values.systemDomain) }}
{{- end -}}

{{/* A value from a Secret. */}}
{{- define "slipway.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end -}}

{{/*
Namespaces no app may use: the release's and the staging Jobs' (both reserved by name already when
they are "slipway" and "slipway-staging", but a release may live elsewhere).
*/}}
{{- define "slipway.reservedNamespaces" -}}
{{ printf "%s,%s" .Release.Namespace .Values.staging.namespace }}
{{- end -}}

{{/* The services' default reserved hosts plus the API's own host. */}}
{{- define "slipway.reservedHosts" -}}
{{ printf "localhost,{system-domain},api.{system-domain},registry.{system-domain},slipway.{system-domain},%s" (include "slipway.apiHost" .) }}
{{- end -}}

{{/* Environment every service gets. */}}
{{- define "slipway.env.common" -}}
- name: SLIPWAY_KAFKA
  value: {{ required "kafka.bootstrapServers is required" .Values.kafka.bootstrapServers | quote }}
- name: SLIPWAY_EVENTS_PARTITIONS
  value: {{ .Values.events.partitions | quote }}
- name: SLIPWAY_EVENTS_REPLICATIONFACTOR
  value: {{ .Values.events.replicationFactor | quote }}
- name: SLIPWAY_EVENTS_RETENTION
  value: {{ .Values.events.retention | quote }}
- name: SLIPWAY_RUNTIME
  value: kubernetes
{{- end -}}

{{- define "slipway.env.s3" -}}
- name: SLIPWAY_S3_ENDPOINT
  value: {{ .Values.s3.endpoint | quote }}
- name: SLIPWAY_S3_BUCKET
  value: {{ .Values.s3.bucket | quote }}
- name: SLIPWAY_S3_REGION
  value: {{ .Values.s3.region | quote }}
{{ include "slipway.secretEnv" (dict "name" "SLIPWAY_S3_ACCESS_KEY" "secret" (include "slipway.s3Secret" .) "key" "accessKey") }}
{{ include "slipway.secretEnv" (dict "name" "SLIPWAY_S3_SECRET_KEY" "secret" (include "slipway.s3Secret" .) "key" "secretKey") }}
{{- end -}}

{{- define "slipway.env.allowedBuilders" -}}
{{- with .Values.staging.allowedBuilders }}
- name: SLIPWAY_STAGING_KUBERNETES_ALLOWEDBUILDERS
  value: {{ join "," . | quote }}
{{- end }}
{{- end -}}

{{- define "slipway.env.upload" -}}
{{ include "slipway.env.common" . }}
{{ include "slipway.env.s3" . }}
{{ include "slipway.secretEnv" (dict "name" "SLIPWAY_TOKEN_KEY" "secret" (include "slipway.keysSecret" .) "key" "tokenKey") }}
{{ include "slipway.secretEnv" (dict "name" "SLIPWAY_SECRETS_KEY" "secret" (include "slipway.keysSecret" .) "key" "secretsKey") }}
{{ include "slipway.secretEnv" (dict "name" "SLIPWAY_AUTH_USERS_0_USERNAME" "secret" (include "slipway.adminSecret" .) "key" "username") }}
{{ include "slipway.secretEnv" (dict "name" "SLIPWAY_AUTH_USERS_0_PASSWORDHASH" "secret" (include "slipway.adminSecret" .) "key" "passwordHash") }}
- name: SLIPWAY_AUTH_USERS_0_ROLES
  value: admin
{{- /* the replicas share the stores of pushes by partition and ask each other at their pod addresses */}}
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: SLIPWAY_UPLOAD_STREAMS_APPLICATION_SERVER
  value: "$(POD_IP):8080"
{{- /* none given: where the NetworkPolicies let only the ingress controller (and the platform) reach
upload, the pod ranges are its proxies; else every client would share the controller's address and limits */}}
{{- $proxies := .Values.auth.trustedProxies }}
{{- if and (not $proxies) .Values.networkPolicies.enabled }}
{{- $proxies = .Values.networkPolicies.clusterCidrs }}
{{- end }}
{{- with $proxies }}
- name: SLIPWAY_AUTH_TRUSTEDPROXIES
  value: {{ join "," . | quote }}
{{- end }}
- name: SLIPWAY_SYSTEM_DOMAIN
  value: {{ .Values.systemDomain | quote }}
- name: SLIPWAY_REGISTRY
  value: {{ .Values.registry.host | quote }}
- name: SLIPWAY_NAMESPACES_RESERVED
  value: {{ include "slipway.reservedNamespaces" . | quote }}
- name: SLIPWAY_ROUTES_RESERVEDHOSTS
  value: {{ include "slipway.reservedHosts" . | quote }}
{{- include "slipway.env.allowedBuilders" . }}
{{- end -}}

{{- define "slipway.env.staging" -}}
{{ include "slipway.env.common" . }}
{{ include "slipway.env.s3" . }}
{{- /* opens the build env values a push sealed: the same key as upload's */}}
{{ include "slipway.secretEnv" (dict "name" "SLIPWAY_SECRETS_KEY" "secret" (include "slipway.keysSecret" .) "key" "secretsKey") }}
- name: SLIPWAY_STAGING_BUILDER
  value: {{ .Values.staging.builder | quote }}
- name: SLIPWAY_STAGING_WORKDIR
  value: /work/staging
- name: SLIPWAY_REGISTRY
  value: {{ .Values.registry.host | quote }}
- name: SLIPWAY_STAGING_BUILD_INSECURE
  value: {{ .Values.registry.insecure | quote }}
{{ include "slipway.secretEnv" (dict "name" "SLIPWAY_STAGING_BUILD_REGISTRYUSERNAME" "secret" (include "slipway.registrySecret" .) "key" "username") }}
{{ include "slipway.secretEnv" (dict "name" "SLIPWAY_STAGING_BUILD_REGISTRYPASSWORD" "secret" (include "slipway.registrySecret" .) "key" "password") }}
- name: SLIPWAY_STAGING_KUBERNETES_NAMESPACE
  value: {{ .Values.staging.namespace | quote }}
- name: SLIPWAY_STAGING_KUBERNETES_S3SECRET
  value: {{ .Values.staging.s3Secret | quote }}
- name: SLIPWAY_STAGING_KUBERNETES_REGISTRYSECRET
  value: {{ .Values.staging.registrySecret | quote }}
{{- include "slipway.env.allowedBuilders" . }}
{{- end -}}

{{- define "slipway.env.deploy" -}}
{{ include "slipway.env.common" . }}
{{ include "slipway.secretEnv" (dict "name" "SLIPWAY_SECRETS_KEY" "secret" (include "slipway.keysSecret" .) "key" "secretsKey") }}
- name: SLIPWAY_NAMESPACES_RESERVED
  value: {{ include "slipway.reservedNamespaces" . | quote }}
{{- end -}}

{{- define "slipway.env.routing" -}}
{{ include "slipway.env.common" . }}
- name: SLIPWAY_SYSTEM_DOMAIN
  value: {{ .Values.systemDomain | quote }}
- name: SLIPWAY_ROUTING_INGRESSCLASS
  value: {{ .Values.routing.ingressClass | quote }}
- name: SLIPWAY_ROUTING_TLSISSUER
  value: {{ .Values.routing.tlsIssuer | quote }}
- name: SLIPWAY_ROUTING_CLAIMS_NAMESPACE
  value: {{ .Release.Namespace | quote }}
- name: SLIPWAY_NAMESPACES_RESERVED
  value: {{ include "slipway.reservedNamespaces" . | quote }}
- name: SLIPWAY_ROUTES_RESERVEDHOSTS
  value: {{ include "slipway.reservedHosts" . | quote }}
{{- end -}}
