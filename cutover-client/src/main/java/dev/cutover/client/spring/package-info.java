/**
 * The Spring Boot starter: with {@code cutover.client.bootstrap-servers} and {@code cutover.client.database} set, every
 * HikariCP {@code DataSource} bean of the application follows the database's cutover.
 */
package dev.cutover.client.spring;
