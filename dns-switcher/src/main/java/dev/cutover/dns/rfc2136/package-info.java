/** The RFC 2136 provider: TSIG-signed dynamic updates guarded by a prerequisite, confirmed by asking the authoritative server (BIND, PowerDNS, Knot...). */
package dev.cutover.dns.rfc2136;
