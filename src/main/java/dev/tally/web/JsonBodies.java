package dev.tally.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tally.config.TallyConfig;
import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * JSON in: reads an untrusted request body into a JSON value, refusing anything that is not JSON, too large or too
 * deeply nested, with a 4xx problem. Numbers keep their exact type and precision ({@code 1.10} stays {@code 1.10},
 * a 30-digit integer stays whole), and a value is stored as compact JSON text, which is serializable.
 */
@ApplicationScoped
public class JsonBodies {

    private ObjectMapper mapper;
    private int maxDepth;

    /** For the CDI proxy. */
    protected JsonBodies() {
    }

    @Inject
    public JsonBodies(TallyConfig config) {
        this(config.jsonMaxDepth());
    }

    JsonBodies(int maxDepth) {
        this.maxDepth = maxDepth;
        JsonFactory factory = Json.factory()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    /**
     * Reads the body as one JSON value, as compact JSON text.
     *
     * @param maxBytes the largest body accepted; a larger one is refused with 413 {@code TOO_LARGE}
     */
    public String readValue(HttpServletRequest request, int maxBytes) throws IOException {
        return mapper.writeValueAsString(readTree(request, maxBytes));
    }

    /** Reads the body as one JSON value, for a handler that looks inside it. */
    public JsonNode readTree(HttpServletRequest request, int maxBytes) throws IOException {
        requireJson(request.getContentType());
        return parse(readBody(request, maxBytes));
    }

    /**
     * Parses a body that must be UTF-8 and nothing else. Jackson on its own guesses UTF-16 and UTF-32 from the first
     * bytes and decodes CESU-8 surrogates and overlong forms as if they were characters, so the bytes are decoded here
     * first with a decoder that refuses all three; a string that escapes half a surrogate pair ({@code "\ud800"})
     * is refused too, since no UTF-8 text can hold it and it would be stored as {@code "?"}.
     */
    JsonNode parse(byte[] body) {
        String text = utf8(body);
        try {
            JsonNode tree = mapper.readTree(text);
            if (tree == null || tree.isMissingNode()) {
                throw invalid("The body is empty; send a JSON value.");
            }
            requireWholeCharacters(tree);
            return tree;
        } catch (NumberFormatException | ArithmeticException e) {
            // A number whose exponent does not fit in an int (1e2147483648): valid JSON grammar, no number Java holds.
            throw invalid("A number in the body is out of range: its exponent is too large.");
        } catch (StreamConstraintsException e) {
            throw invalid("The JSON value is nested deeper than " + maxDepth + " levels, or a part of it is too long.");
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw invalid("The body is not valid JSON (UTF-8)" + (where == null ? "." : " at line "
                    + where.getLineNr() + ", column " + where.getColumnNr() + "."));
        } catch (IOException e) {
            throw invalid("The body is not valid JSON (UTF-8).");
        }
    }

    private static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("The body is not UTF-8 text.");
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw invalid("The body starts with a byte order mark; send UTF-8 JSON without one.");
        }
        return text;
    }

    private static void requireWholeCharacters(JsonNode node) {
        if (node.isTextual()) {
            requireWholeCharacters(node.textValue());
        } else if (node.isContainerNode()) {
            for (var field : node.properties()) {
                requireWholeCharacters(field.getKey());
            }
            for (JsonNode child : node) {
                requireWholeCharacters(child);
            }
        }
    }

    private static void requireWholeCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalid("A string in the body holds half a surrogate pair (\\u" + Integer.toHexString(c)
                        + "), which is no character.");
            }
        }
    }

    static void requireJson(String contentType) {
        if (contentType == null) {
            throw unsupported();
        }
        String[] parts = contentType.split(";", -1);
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !(mediaType.startsWith("application/")
                && mediaType.endsWith("+json"))) {
            throw unsupported();
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset") && (parameter.length < 2
                    || !parameter[1].trim().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                throw unsupported();
            }
        }
    }

    /**
     * The body, which {@link RequestBodyFilter} has already read into memory within the largest size any endpoint
     * takes; this endpoint's own bound may be smaller.
     */
    static byte[] readBody(HttpServletRequest request, int maxBytes) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        if (body.length > maxBytes) {
            throw RequestBodyFilter.tooLarge(maxBytes);
        }
        return body;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.INVALID_JSON, detail);
    }

    private static ProblemException unsupported() {
        return new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json (UTF-8).");
    }
}
