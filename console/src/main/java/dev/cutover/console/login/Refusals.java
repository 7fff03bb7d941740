package dev.cutover.console.login;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import dev.cutover.console.web.Hub;
import dev.cutover.ctl.replay.CutoverSummary;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.security.CommandRefusal;

/**
 * A logged-in user asked for what their roles do not allow, or posted without the page's CSRF token: 403, and for a
 * command {@code CommandRefused} on {@code cutover.events}, as the ops API records it ({@link CommandRefusal}), about
 * the cutover the path names or the database the body names. Someone not logged in is the entry point's.
 */
@Component
@ConditionalOnProperty(name = "cutover.console.users-file")
class Refusals implements AccessDeniedHandler {

    private static final Pattern ON_A_CUTOVER = Pattern.compile("/cutovers/([^/]+)/[^/]+");
    private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

    private final MessagePublisher publisher;
    private final Hub hub;
    private final JsonMapper json;
    private final LoginOrUnauthorized entryPoint;

    Refusals(MessagePublisher publisher, Hub hub, JsonMapper json, LoginOrUnauthorized entryPoint) {
        this.publisher = publisher;
        this.hub = hub;
        this.json = json;
        this.entryPoint = entryPoint;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (!TRUST.isAuthenticated(caller)) {
            // The CSRF check runs before authorization, so a POST without a login can arrive here.
            entryPoint.commence(request, response, new InsufficientAuthenticationException("not logged in"));
            return;
        }
        CommandRefusal refusal = CommandRefusal.of(caller, request, Role.OPERATOR.word(),
                "ask whoever keeps the console's users file (cutover.console.users-file) to add it");
        if (denied instanceof CsrfException) {
            refusal = refusal.because(refusal.principal() + "'s " + refusal.action() + " carried no valid CSRF"
                    + " token: commands are given from the console's page, which sends it");
        }
        refusal.settle(request, response, json, refused -> record(request, refused));
    }

    private void record(HttpServletRequest request, CommandRefusal refusal) throws IOException {
        Matcher onCutover = ON_A_CUTOVER.matcher(request.getRequestURI());
        if (onCutover.matches()) {
            String id = onCutover.group(1);
            refusal.record(publisher, hub.cutover(id).map(CutoverSummary::database)
                    .orElse(CommandRefusal.UNKNOWN_DATABASE), id, null);
        } else {
            refusal.record(publisher, CommandRefusal.databaseNamedIn(request, json)
                    .orElse(CommandRefusal.UNKNOWN_DATABASE), null, null);
        }
    }
}
