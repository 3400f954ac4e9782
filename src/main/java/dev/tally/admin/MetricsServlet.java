package dev.tally.admin;

import dev.tally.config.TallyConfig;
import dev.tally.ops.Metrics;
import dev.tally.web.AdminLogin;
import dev.tally.web.ApiServlet;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code GET /metrics}: every meter of the application and its JVM in Prometheus's text format (OpenMetrics when the
 * scraper asks for it). For a user with the role {@value AdminLogin#METRICS_ROLE} or {@value AdminLogin#ROLE}
 * (BASIC, checked by the container's realm), or any client whose address is in {@code tally.metrics.openTo}.
 */
@WebServlet(value = "/metrics", asyncSupported = true)
public class MetricsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Metrics metrics;
    @Inject
    transient TallyConfig config;
    @Inject
    transient AdminLogin login;

    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return Set.of("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!config.metricsOpenTo().contains(request.getRemoteAddr())) {
            login.require(request, response, AdminLogin.METRICS_ROLE, AdminLogin.ROLE);
        }
        String contentType = Metrics.contentType(request.getHeader("Accept"));
        byte[] body = metrics.scrape(contentType).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
