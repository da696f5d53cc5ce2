/** Tests that hold the install artefacts (images, docker-compose.yml, deploy/k8s) to the services' code. */
package dev.slipway.install;
