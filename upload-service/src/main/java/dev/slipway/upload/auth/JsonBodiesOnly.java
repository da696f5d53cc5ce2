package dev.slipway.upload.auth;

import dev.slipway.upload.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * An endpoint that takes a JSON body takes nothing else: a body declared as anything but JSON is
 * 415, and so is a body without a declared type. A browser sends form and text/plain bodies (and
 * bodiless POSTs) cross-site without asking first, but asks the server (CORS preflight, never
 * granted here) before it sends {@code application/json}. A bodiless request without a type is 415
 * too when the session cookie authenticated it; scripts and the CLI (Basic, bearer) may send a
 * bodiless request to an endpoint whose body is optional.
 */
@Configuration(proxyBeanMethods = false)
class JsonBodiesOnly implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || !takesABody(method)) {
            return true;
        }
        String declared = request.getContentType();
        if (declared == null || declared.isBlank()) {
            if (hasBody(request) || request.getAttribute(TokenAuthenticationFilter.SESSION_ATTRIBUTE) != null) {
                throw unsupported();
            }
            return true;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(declared);
        } catch (InvalidMediaTypeException invalid) {
            throw unsupported();
        }
        if (!isJson(type)) {
            throw unsupported();
        }
        return true;
    }

    private static boolean takesABody(HandlerMethod method) {
        return Arrays.stream(method.getMethodParameters()).anyMatch(parameter -> parameter
                .hasParameterAnnotation(RequestBody.class));
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static boolean isJson(MediaType type) {
        return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
                || ("application".equals(type.getType()) && type.getSubtype().endsWith("+json"));
    }

    private static ApiException unsupported() {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported media type",
                "this endpoint takes a JSON body: send it with Content-Type: application/json");
    }
}
