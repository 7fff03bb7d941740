/**
 * The dns-switcher's side of Kafka: its four commands and TargetOpened in; DnsFlipped, DnsReverted, DnsTtlChanged and,
 * for PgBouncer, PgBouncerResumed out.
 */
package dev.cutover.dns.messaging;
