/** Spring wiring: the dns.* settings and the beans the Kafka listener uses. */
package dev.cutover.dns.config;
