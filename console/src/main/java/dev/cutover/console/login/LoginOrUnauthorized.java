package dev.cutover.console.login;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.stereotype.Component;

/**
 * Someone who has not logged in: a browser opening a page goes to the login form; anything else (the event stream,
 * a command) gets 401. A command without a login is only logged: recording it on {@code cutover.events} would let
 * anyone who reaches the console fill a topic kept forever.
 */
@Component
@ConditionalOnProperty(name = "cutover.console.users-file")
class LoginOrUnauthorized implements AuthenticationEntryPoint {

    private static final Logger log = LoggerFactory.getLogger(LoginOrUnauthorized.class);

    private final LoginUrlAuthenticationEntryPoint loginForm = new LoginUrlAuthenticationEntryPoint("/login");

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException, jakarta.servlet.ServletException {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if ("GET".equals(request.getMethod()) && accept != null && accept.contains(MediaType.TEXT_HTML_VALUE)) {
            loginForm.commence(request, response, exception);
            return;
        }
        if (!"GET".equals(request.getMethod())) {
            log.warn("refused {} {} from {}: not logged in", request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr());
        }
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"log in first: open the"
                + " console's page, which sends you to /login\"}");
    }
}
