/** The Grafana dashboard held to the metrics the services declare. */
package dev.slipway.install.grafana;
