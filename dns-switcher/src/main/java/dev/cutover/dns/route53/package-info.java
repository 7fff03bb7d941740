/** The Route53 provider: a weighted record pair switched by one change batch of two UPSERTs, confirmed by GetChange reaching INSYNC. */
package dev.cutover.dns.route53;
