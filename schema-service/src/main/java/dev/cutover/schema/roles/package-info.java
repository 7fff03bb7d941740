/** The roles a schema names (owners, grants, default privileges, policies) and the SQL that creates those a target lacks. */
package dev.cutover.schema.roles;
