/** The dns-switcher's side of Kafka: its four commands in, DnsFlipped, DnsReverted and DnsTtlChanged out. */
package dev.cutover.dns.messaging;
