package dev.cutover.cutover.api;

import java.security.Principal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** What the controllers share: the ids they give out and how they refuse a request. */
final class OperatorRequests {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private OperatorRequests() {
    }

    /** {@code <prefix>-<yyyyMMdd-HHmmss>-<4 hex>} in UTC, as cutoverctl makes them. */
    static String newId(String prefix) {
        return prefix + "-" + LocalDateTime.now(ZoneOffset.UTC).format(ID_TIME) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }

    /**
     * Who asks: with security on, the authenticated caller (a token's subject), never a name typed in the request, so
     * one that names someone else is refused; without it, the name the request gives, as before.
     */
    static String operator(Principal caller, String typed) {
        if (caller == null) {
            require(typed, "operator");
            return typed;
        }
        if (typed != null && !typed.isBlank() && !typed.equals(caller.getName())) {
            throw new BadRequest("the operator is who your token says you are (" + caller.getName() + "), not '"
                    + typed + "': leave operator out of the request");
        }
        return caller.getName();
    }

    static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new BadRequest(field + " is required");
        }
    }

    @ResponseStatus(HttpStatus.BAD_REQUEST)
    static class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** The request is understood but the state of what it is about does not allow it. */
    @ResponseStatus(HttpStatus.CONFLICT)
    static class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message);
        }
    }
}
