package dev.slipway.routing.ingress;

import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the existing TLS secret for a host: one naming the host exactly, else the one whose wildcard
 * matches with the longest suffix. A secret's names come from cert-manager's
 * {@code cert-manager.io/alt-names} annotation when present, else from the certificate's DNS
 * subject alternative names.
 */
public final class TlsSecrets {

    static final String ALT_NAMES = "cert-manager.io/alt-names";
    private static final int DNS_NAME = 2;

    private TlsSecrets() {
    }

    public static Optional<String> choose(String host, Collection<Secret> secrets) {
        String best = null;
        int bestScore = -1;
        for (Secret secret : secrets.stream().sorted(Comparator.comparing(s -> s.getMetadata().getName())).toList()) {
            for (String name : names(secret)) {
                int score = score(name.toLowerCase(Locale.ROOT), host);
                if (score > bestScore) {
                    best = secret.getMetadata().getName();
                    bestScore = score;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Exact names beat every wildcard; among wildcards the longer suffix wins; -1: no match. */
    static int score(String certName, String host) {
        if (certName.equals(host)) {
            return Integer.MAX_VALUE;
        }
        if (certName.startsWith("*.")) {
            String suffix = certName.substring(1);
            int dot = host.indexOf('.');
            // a wildcard stands for exactly one label, as TLS clients check it
            if (dot > 0 && host.substring(dot).equals(suffix)) {
                return suffix.length();
            }
        }
        return -1;
    }

    static List<String> names(Secret secret) {
        if (!"kubernetes.io/tls".equals(secret.getType())) {
            return List.of();
        }
        String altNames = secret.getMetadata().getAnnotations() == null ? null
                : secret.getMetadata().getAnnotations().get(ALT_NAMES);
        if (altNames != null && !altNames.isBlank()) {
            return List.of(altNames.trim().split("\\s*,\\s*"));
        }
        String pem = secret.getData() == null ? null : secret.getData().get("tls.crt");
        return pem == null ? List.of() : certificateNames(pem);
    }

    private static List<String> certificateNames(String base64Pem) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getMimeDecoder().decode(base64Pem)));
            List<String> names = new ArrayList<>();
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> entry : certificate.getSubjectAlternativeNames()) {
                    if (entry.get(0) instanceof Integer type && type == DNS_NAME) {
                        names.add(entry.get(1).toString());
                    }
                }
            }
            return names;
        } catch (CertificateException | IllegalArgumentException unreadable) {
            return List.of();  // a secret we cannot read covers nothing
        }
    }
}
