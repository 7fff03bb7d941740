package dev.cutover.console.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cutover.console.ConsoleSettings;
import dev.cutover.console.login.Role;

/**
 * {@code GET /me}: who the page is for, whether to offer the commands, and the CSRF token to send with them. Offering
 * is only a courtesy: the server refuses a viewer's command whatever the page shows.
 */
@RestController
class MeController {

    private static final Logger log = LoggerFactory.getLogger(MeController.class);
    private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

    private final boolean loginRequired;

    MeController(ConsoleSettings settings) {
        this.loginRequired = settings.loginRequired();
        if (!loginRequired) {
            log.warn("the console is read-only and open to anyone who reaches it: set cutover.console.users-file"
                    + " (console/README.md) to have people log in and operators start, abort and fall back");
        }
    }

    @GetMapping("/me")
    Map<String, Object> me(HttpServletRequest request) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        Map<String, Object> me = new LinkedHashMap<>();
        if (!loginRequired || !TRUST.isAuthenticated(caller)) {
            me.put("user", null);
            me.put("roles", List.of());
            me.put("mayAct", false);
            return me;
        }
        List<String> roles = caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith("ROLE_")).map(authority -> authority.substring(5)).toList();
        me.put("user", caller.getName());
        me.put("roles", roles);
        me.put("mayAct", roles.contains(Role.OPERATOR.word()));
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken csrf) {
            me.put("csrf", Map.of("header", csrf.getHeaderName(), "token", csrf.getToken()));
        }
        return me;
    }
}
