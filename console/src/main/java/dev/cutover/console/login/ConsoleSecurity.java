package dev.cutover.console.login;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

import dev.cutover.console.ConsoleSettings;

/**
 * With {@code cutover.console.users-file}: everyone logs in (a form, a session cookie, CSRF tokens on every POST);
 * viewers see the page and its events, operators may also POST a command. Without it platform's
 * {@code OpenWebSecurityAutoConfiguration} leaves the page open, and there are no commands to post.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cutover.console.users-file")
class ConsoleSecurity {

    private static final Logger log = LoggerFactory.getLogger(ConsoleSecurity.class);

    @Bean
    SecurityFilterChain consoleLogin(HttpSecurity http, Refusals refusals, LoginOrUnauthorized entryPoint)
            throws Exception {
        String viewer = Role.VIEWER.word();
        String operator = Role.OPERATOR.word();
        http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/error",
                                "/console.css").permitAll()
                        .requestMatchers(HttpMethod.GET, "/", "/index.html", "/console.js", "/events", "/me",
                                "/cutovers/*/replay")
                        .hasAnyRole(viewer, operator)
                        .anyRequest().hasRole(operator))
                .formLogin(form -> form.permitAll())
                .logout(Customizer.withDefaults())
                // A default, not the entry point: Spring serves its login form only while none is set.
                .exceptionHandling(exceptions -> exceptions
                        .defaultAuthenticationEntryPointFor(entryPoint, AnyRequestMatcher.INSTANCE)
                        .accessDeniedHandler(refusals));
        return http.build();
    }

    @Bean
    PasswordEncoder consolePasswords() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    UserDetailsService consoleUsers(ConsoleSettings settings) {
        List<ConsoleUser> users = UsersFile.read(settings.usersFile());
        log.info("console login on: {} users from {}: {}", users.size(), settings.usersFile(), users);
        return new InMemoryUserDetailsManager(users.stream().<UserDetails>map(user -> User.withUsername(user.name())
                .password(user.bcryptHash())
                .roles(user.roles().stream().map(Role::word).toArray(String[]::new))
                .build()).toList());
    }
}
