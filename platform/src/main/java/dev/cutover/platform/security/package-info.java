/** What a service's web endpoints allow when Spring Security is on its class path but the service secures nothing. */
package dev.cutover.platform.security;
