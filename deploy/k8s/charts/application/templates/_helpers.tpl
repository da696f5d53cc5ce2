{{- define "application.labels" -}}
app.kubernetes.io/name: {{ .Values.appName }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: slipway
slipway.dev/managed-by: slipway
slipway.dev/app: {{ .Values.appName }}
slipway.dev/namespace: {{ .Release.Namespace }}
{{- end -}}

{{- define "application.selector" -}}
app.kubernetes.io/name: {{ .Values.appName }}
slipway.dev/app: {{ .Values.appName }}
{{- end -}}
