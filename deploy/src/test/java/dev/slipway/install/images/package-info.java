/** The services' images (jib tars from {@code package}) started with podman, alone and as one platform. */
package dev.slipway.install.images;
