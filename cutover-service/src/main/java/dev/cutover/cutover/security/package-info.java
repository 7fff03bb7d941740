/**
 * Who may use the ops API: with {@code cutover.security.enabled} it is an OAuth2 resource server that takes JWTs, reads
 * need the viewer or the operator role, commands the operator role; docs/architecture.md, "Security".
 */
package dev.cutover.cutover.security;
