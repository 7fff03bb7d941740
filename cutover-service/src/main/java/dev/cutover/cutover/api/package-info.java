/** The ops REST API: start, abort and look at cutovers over HTTP; every action is a message on Kafka. */
package dev.cutover.cutover.api;
