package dev.tally.session;

import dev.tally.config.TallyConfig;
import dev.tally.problem.NotFoundException;
import dev.tally.store.Keys;
import dev.tally.web.ApiServlet;
import dev.tally.web.EntityTags;
import dev.tally.web.Json;
import dev.tally.web.JsonBodies;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Set;

/**
 * The visitor's structured data: {@code PUT /api/session/data/{key}} stores any JSON value, {@code GET} answers it
 * as stored, {@code DELETE} removes it. Only PUT creates a session.
 *
 * <p>{@code GET} and {@code PUT} answer the value's version as {@code ETag}; {@code PUT} and {@code DELETE} with
 * {@code If-Match} change it only if it is still one of the versions named, and with {@code If-None-Match: *} PUT
 * only creates; else 412 {@code PRECONDITION_FAILED} and nothing changes. That is how two tabs edit one structured
 * value without losing either's change.
 */
@WebServlet(value = "/api/session/data/*", asyncSupported = true)
public class SessionDataServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> METHODS = Set.of("GET", "PUT", "DELETE");

    @Inject
    transient Sessions sessions;

    @Inject
    transient UserData data;
    @Inject
    transient JsonBodies bodies;
    @Inject
    transient TallyConfig config;

    @Override
    protected Set<String> methods(HttpServletRequest request) {
        return METHODS;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String key = Keys.fromPath(request.getPathInfo());
        String json = data.get(sessions.resume(request), key)
                .orElseThrow(() -> new NotFoundException(
                        "This session holds no value under that key."));
        response.setHeader("ETag", EntityTags.quoted(WriteCondition.version(json)));
        Json.writeRaw(response, json);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String key = Keys.fromPath(request.getPathInfo());
        String json = bodies.readValue(request, config.sessionMaxValueBytes());
        WriteCondition condition = condition(request);
        // A write that needs a value there already cannot succeed without a session: it makes none.
        HttpSession session = condition.mustExist() ? sessions.resume(request) : sessions.resumeOrCreate(request);
        if (session == null) {
            throw new PreconditionFailedException();
        }
        data.put(session, key, json, condition);
        response.setHeader("ETag", EntityTags.quoted(WriteCondition.version(json)));
        response.setStatus(204);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) {
        data.delete(sessions.resume(request), Keys.fromPath(request.getPathInfo()), condition(request));
        response.setStatus(204);
    }

    /** The request's If-Match and If-None-Match, as a condition on the value the write replaces. */
    static WriteCondition condition(HttpServletRequest request) {
        String ifMatch = request.getHeader("If-Match");
        String ifNoneMatch = request.getHeader("If-None-Match");
        WriteCondition condition = ifMatch == null ? WriteCondition.NONE
                : EntityTags.isAny(ifMatch) ? WriteCondition.ifPresent()
                : WriteCondition.ifVersion(EntityTags.values(ifMatch, false));
        if (ifNoneMatch != null) {
            condition = EntityTags.isAny(ifNoneMatch) ? condition.andAbsent()
                    : condition.andNotVersion(EntityTags.values(ifNoneMatch, true));
        }
        return condition;
    }
}
