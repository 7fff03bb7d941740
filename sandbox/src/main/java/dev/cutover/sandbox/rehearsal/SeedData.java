package dev.cutover.sandbox.rehearsal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import dev.cutover.stack.Postgres;

/**
 * A database shaped like the seed's (services, users, templates, jobs, notifications: the last holds
 * most of the data), generated on the server itself so that hundreds of megabytes load in seconds.
 * The tables belong to the application role, as an application's own tables do; the role exists on
 * both servers with the same password, and may not log in to the target until the cutover opens it.
 */
public final class SeedData {

    static final String DATABASE = "app";
    static final String ROLE = "app";
    static final String PASSWORD = "app";

    private SeedData() {
    }

    static void createRoleAndDatabase(Postgres source, Postgres target) throws SQLException {
        createRoleAndDatabase(source, target, DATABASE, ROLE, PASSWORD);
    }

    /**
     * The application's role (logging in on the source only) and its database on both servers; several rehearsals on
     * one pair of servers each take a database and a role of their own, as the fence locks a role out server-wide.
     */
    public static void createRoleAndDatabase(Postgres source, Postgres target, String database, String role, String password)
            throws SQLException {
        for (Postgres server : new Postgres[] {source, target}) {
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("create role " + role + " password '" + password + "' " + (server == source ? "login" : "nologin"));
            }
            server.createDatabase(database);
        }
    }

    /** The tables alone, empty, as a team that replicates by hand creates them on its target. */
    static void createTables(Postgres server) throws SQLException {
        try (Connection c = server.connect(DATABASE); Statement s = c.createStatement()) {
            // From PostgreSQL 15 on, only public's owner may create in it.
            s.execute("grant create on schema public to " + ROLE);
            s.execute("set role " + ROLE);
            createTables(s);
        }
    }

    /** Creates the tables and fills them with about {@code megabytes} of rows, 70% of it in notifications. */
    static void load(Postgres source, int megabytes) throws SQLException {
        load(source, DATABASE, ROLE, megabytes);
    }

    /** {@link #load(Postgres, int)} into {@code database}, owned by {@code role}. */
    public static void load(Postgres source, String database, String role, int megabytes) throws SQLException {
        // Measured on PostgreSQL 11: a notification row takes about 200 bytes on disk, a job about 120.
        long notifications = Math.max(1_000, megabytes * 1024L * 1024 * 7 / 10 / 200);
        long jobs = Math.max(100, megabytes * 1024L * 1024 * 2 / 10 / 120);
        try (Connection c = source.connect(database); Statement s = c.createStatement()) {
            s.execute("set role " + role);
            createTables(s);
            s.execute("insert into services (name) select 'service ' || i from generate_series(1, 100) i");
            s.execute("insert into users (service_id, email) select 1 + i % 100, 'user' || i || '@example.gov.uk'"
                    + " from generate_series(1, 2000) i");
            s.execute("insert into templates (service_id, name, body) select 1 + i % 100, 'template ' || i,"
                    + " repeat('Your reference is ((ref)). ', 4) from generate_series(1, 1000) i");
            s.execute("insert into jobs (service_id, template_id, original_file_name, notification_count)"
                    + " select 1 + i % 100, 1 + i % 1000, 'upload-' || i || '.csv', i % 5000"
                    + " from generate_series(1, " + jobs + ") i");
            s.execute("insert into notifications (service_id, template_id, job_id, status, to_address, created_at,"
                    + " updated_at) select 1 + i % 100, 1 + i % 1000, 1 + i % " + jobs + ","
                    + " (array['created','sending','delivered','failed'])[1 + i % 4], '07700' || lpad((i % 900000)::text, 6, '0'),"
                    + " now() - (i || ' seconds')::interval, now() from generate_series(1, " + notifications + ") i");
            s.execute("create index notifications_service_created on notifications (service_id, created_at)");
            s.execute("create index notifications_job on notifications (job_id)");
            s.execute("create index jobs_service on jobs (service_id)");
            s.execute("reset role");
            s.execute("analyze");
        }
    }

    private static void createTables(Statement s) throws SQLException {
        s.execute("""
                create table services (
                    id serial primary key,
                    name text not null,
                    created_at timestamptz not null default now())""");
        s.execute("""
                create table users (
                    id serial primary key,
                    service_id int not null references services (id),
                    email text not null unique,
                    created_at timestamptz not null default now())""");
        s.execute("""
                create table templates (
                    id serial primary key,
                    service_id int not null references services (id),
                    name text not null,
                    body text not null)""");
        s.execute("""
                create table jobs (
                    id bigserial primary key,
                    service_id int not null references services (id),
                    template_id int not null references templates (id),
                    original_file_name text not null,
                    notification_count int not null,
                    created_at timestamptz not null default now())""");
        s.execute("""
                create table notifications (
                    id bigserial primary key,
                    service_id int not null,
                    template_id int not null,
                    job_id bigint,
                    status text not null,
                    to_address text,
                    created_at timestamptz not null default now(),
                    updated_at timestamptz)""");
    }
}
