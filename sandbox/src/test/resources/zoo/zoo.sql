-- The schema zoo: one of every object kind that PostgreSQL 11 and later share (the manual's chapters on
-- data definition and data types), each with awkward values. Run as the superuser in an empty database
-- whose roles zoo_owner and "Zoo Reader" exist. Few rows: what matters is their shape.

create extension hstore;
create extension citext;
create extension btree_gist;

create schema "Sales" authorization zoo_owner;
create schema inventory authorization zoo_owner;
create schema audit authorization zoo_owner;
comment on schema "Sales" is 'Mixed-case schema; its name needs quotes';

-- Types ------------------------------------------------------------------------------------------------

create type public.mood as enum ('sad', 'ok', 'happy', 'Über', 'with space', 'quote''d');
create type inventory.dimensions as (width numeric(10, 2), height numeric(10, 2), "Label" text);
create domain public.positive_int as integer not null check (value > 0);
create domain "Sales".email as citext constraint email_has_at check (value ~ '@');
create type public.floatrange as range (subtype = float8, subtype_diff = float8mi);
create type audit.change as (at timestamptz, tags text[], dims inventory.dimensions);
comment on type public.mood is 'An enum with non-ASCII, spaces and quotes in its labels';
comment on domain public.positive_int is 'A domain with a check constraint';

-- Sequences, odd ones ------------------------------------------------------------------------------------

create sequence public.countdown increment by -3 minvalue -1000 maxvalue 100 start with 100 cycle;
create sequence "Sales"."Odd Seq" as integer start with 1000000 increment by 7 cache 5;
create sequence inventory.tiny as smallint minvalue 1 maxvalue 5 cycle;
select nextval('public.countdown'), nextval('public.countdown');
select setval('"Sales"."Odd Seq"', 1000021, false);
select nextval('inventory.tiny') from generate_series(1, 7);

-- Every data type in one table, identity key -----------------------------------------------------------

create table public."Everything" (
    id bigint generated always as identity (start with 10 increment by 10) primary key,
    "MixedCase" text,
    "with space" varchar(40),
    tiny smallint,
    big bigint,
    exact numeric(20, 5),
    free numeric,
    r real,
    d double precision,
    cash money,
    fixed char(5),
    flag boolean,
    raw bytea,
    born date,
    at timestamp,
    at_tz timestamptz,
    clock time,
    clock_tz timetz,
    span interval,
    id_uuid uuid,
    addr inet,
    net cidr,
    mac macaddr,
    mac8 macaddr8,
    bits bit(4),
    varbits varbit(10),
    doc json,
    docb jsonb,
    kv hstore,
    name_ci citext,
    feeling mood,
    box_dims inventory.dimensions,
    qty positive_int default 1,
    temp floatrange,
    during tsrange,
    ids int4range,
    big_ids int8range,
    money_range numrange,
    days daterange,
    moments tstzrange,
    ints int[],
    matrix int[][],
    offset_array int[],
    words text[],
    moods mood[],
    dims_list inventory.dimensions[],
    pt point,
    ln line,
    seg lseg,
    bx box,
    pth path,
    poly polygon,
    circ circle,
    words_ts tsvector,
    query tsquery,
    lsn pg_lsn,
    single_char "char",
    a_name name,
    txt_big text
);
comment on table public."Everything" is 'One column of every data type';
comment on column public."Everything"."with space" is 'A column whose name has a space';

insert into public."Everything" ("MixedCase", "with space", tiny, big, exact, free, r, d, cash, fixed, flag, raw,
        born, at, at_tz, clock, clock_tz, span, id_uuid, addr, net, mac, mac8, bits, varbits, doc, docb, kv,
        name_ci, feeling, box_dims, qty, temp, during, ids, big_ids, money_range, days, moments, ints, matrix,
        offset_array, words, moods, dims_list, pt, ln, seg, bx, pth, poly, circ, words_ts, query, lsn,
        single_char, a_name, txt_big)
values
    ('plain', 'a', 0, 0, 0, 0, 0, 0, 0, 'a', false, '\x', '2000-01-01', '2000-01-01', '2000-01-01 00:00+00',
        '00:00', '00:00+00', '0', '00000000-0000-0000-0000-000000000000', '0.0.0.0', '0.0.0.0/0',
        '00:00:00:00:00:00', '00:00:00:00:00:00:00:00', '0000', '', '{}', '{}', '', '', 'sad', '(0,0,"")', 1,
        'empty', 'empty', 'empty', 'empty', 'empty', 'empty', 'empty', '{}', '{}', '{}', '{}', '{}', '{}',
        '(0,0)', '{1,-1,0}', '[(0,0),(1,1)]', '(1,1),(0,0)', '((0,0),(1,1))', '((0,0),(1,0),(0,1))', '<(0,0),1>',
        '', '', '0/0', 'a', '', ''),
    ('NaN and infinities', 'b', -32768, -9223372036854775808, -999999999999999.99999, 'NaN', 'NaN', 'NaN',
        -92233720368547758.08, 'b   ', true, '\x00ff', '-infinity', '-infinity', 'infinity', '24:00:00',
        '23:59:59.999999-15:59', '-178000000 years', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '::1', '::/0',
        'ff:ff:ff:ff:ff:ff', 'ff:ff:ff:ff:ff:ff:ff:ff', '1111', '1010101010', '[1, 2.50, "x"]',
        '{"b": [1, 2.50], "a": null}', 'a=>NULL, "b c"=>"d=>e"', 'ÜBER', 'Über', '(1.5,-2.25,"with \"quote\"")',
        2147483647, '[-Infinity,Infinity]', '[-infinity,infinity]', '(,)', '[-9223372036854775808,)',
        '[NaN,NaN]', '[-infinity,infinity)', '[-infinity,)', '{NULL,1,-2147483648}', '{{1,2},{3,4}}', '[0:2]={7,8,9}',
        '{"","NULL",NULL,"with,comma","back\\slash","quote\""}', '{happy,"with space"}',
        '{"(1,2,a)",NULL,"(,,)"}', '(1e300,-1e-300)', '{0,1,-5}', '[(0,0),(1e10,1e10)]', '(-1,-1),(-2,-2)',
        '[(0,0),(1,1),(2,0)]', '((0,0),(0,1e-10),(1e-10,0))', '<(1.5,1.5),0.001>', 'a fat:1A cat:2B & rat',
        'fat & (rat | !cat)', 'FFFFFFFF/FFFFFFFF', E'\x01', 'name with "quotes" and spaces', null),
    ('infinite float', 'c', 32767, 9223372036854775807, 999999999999999.99999, -0.0000000000000000000001,
        'Infinity', '-Infinity', 92233720368547758.07, 'ccccc', null, null, 'infinity', 'infinity', '-infinity',
        '23:59:59.999999', '00:00+15:59', '178000000 years 11 mons 30 days 23:59:59.999999',
        'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03',
        '08:00:2b:01:02:03:04:05', '0001', '1', '"just a string"', '"just a string"', 'x=>y', 'MiXeD', 'quote''d',
        '(,,)', 42, '(0.1,0.30000000000000004]', '["2000-01-01 00:00","2000-01-01 00:00:00.000001")',
        '[1,2)', '(-1,1]', '[0.1,0.3)', '[2000-02-28,2000-03-01]', '["2000-01-01 00:00+14","2000-01-01 00:00-12"]',
        '{1}', '{{NULL}}', '[-3:-3]={0}', '{"Ω","😀","tab\there"}', '{ok}', '{}', '(-0,-0)', '{0.1,0.2,0.3}',
        '[(0.1,0.2),(0.3,0.4)]', '(0.3,0.4),(0.1,0.2)', '((0.1,0.2),(0.3,0.4))', '((0.1,0.1))', '<(0,0),0>',
        'über:1 straße:2', 'über', '1/1', '"', repeat('a', 63), null),
    (E'escapes: \\ \t \n \r \b \f \\N', E'\\N', null, null, 1e-5, 12345678901234567890.123456789012345678901234567890,
        -0, -0, null, null, null, '\x5c4e', '4713-11-24 BC', '4714-11-24 00:00:00 BC', '294276-12-31 23:59:59.999999+00',
        null, null, '-1 day +1 hour', null, null, null, null, null, null, null, '{"\\u0000": 1}', '{"emoji": "😀"}',
        '"\\"=>"\\\\"', '', 'ok', null, 7, null, null, null, null, null, null, null, '{}', null, null, '{}', null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null),
    (null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, 3, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null);

-- TOASTed values: compressible and not, text and bytea, in a row that streaming writes update later.
update public."Everything" set txt_big = repeat('toast ', 20000),
    raw = (select string_agg(decode(md5(i::text), 'hex'), ''::bytea) from generate_series(1, 4000) i)
    where "MixedCase" = 'plain';
update public."Everything" set txt_big = (select string_agg(md5(i::text), '') from generate_series(1, 3000) i)
    where "MixedCase" = 'NaN and infinities';

-- Old-style inheritance, three levels, each level with rows of its own ----------------------------------

create table inventory.items (
    id int primary key,
    label text not null check (label <> ''),
    added date default current_date
);
create table inventory.tools (voltage int check (voltage between 0 and 400)) inherits (inventory.items);
alter table inventory.tools add primary key (id);
create table inventory."Power Tools" (watts numeric) inherits (inventory.tools);
alter table inventory."Power Tools" add primary key (id);
create table inventory.food (expires date, kcal real) inherits (inventory.items);
alter table inventory.food add primary key (id);
comment on table inventory."Power Tools" is 'Third level of an inheritance tree';

insert into inventory.items values (1, 'thing', '2001-01-01'), (2, 'other thing', 'infinity');
insert into inventory.tools values (10, 'hammer', '2002-02-02', 0), (11, 'drill', '-infinity', 230);
insert into inventory."Power Tools" values (20, 'saw', '2003-03-03', 400, 'NaN'), (21, 'Sander', null, 12, 1.5e3);
insert into inventory.food values (30, 'apple', '2004-04-04', 'infinity', 'NaN'), (31, 'bread', null, null, '-Infinity');

-- Declarative partitions: range with sub-partitions, list, hash, default ------------------------------------

create table "Sales".orders (
    id bigint not null,
    placed date not null,
    region text not null,
    customer "Sales".email,
    total numeric(12, 2) check (total >= 0),
    lines jsonb,
    primary key (id, placed, region)
) partition by range (placed);
create table "Sales".orders_old partition of "Sales".orders for values from (minvalue) to ('2020-01-01');
create table "Sales".orders_2020 partition of "Sales".orders for values from ('2020-01-01') to ('2021-01-01')
    partition by list (region);
create table "Sales"."orders_2020_EU" partition of "Sales".orders_2020 for values in ('eu', 'EU');
create table "Sales".orders_2020_us partition of "Sales".orders_2020 for values in ('us');
create table "Sales".orders_2020_rest partition of "Sales".orders_2020 default;
create table "Sales".orders_new partition of "Sales".orders for values from ('2021-01-01') to (maxvalue);
create index orders_customer on "Sales".orders_old (customer);

insert into "Sales".orders
select i, date '2019-12-25' + i, (array['eu', 'EU', 'us', 'apac', 'Ünïcode'])[1 + i % 5],
    'buyer' || i || '@Example.COM', i * 1.25, jsonb_build_object('n', i, 'nan', 'NaN'::float8::text)
from generate_series(1, 60) i;
insert into "Sales".orders values (1000, '-infinity', 'eu', 'old@x', 0, null), (1001, 'infinity', 'us', 'new@x', 0, null);

create table audit.events (
    id int not null,
    kind text,
    payload text
) partition by list (kind);
create table audit.events_login partition of audit.events for values in ('login', 'logout');
create table audit.events_null partition of audit.events for values in (null);
create table audit.events_other partition of audit.events default;
alter table audit.events_login replica identity full;
alter table audit.events_null replica identity full;
alter table audit.events_other replica identity full;
insert into audit.events values (1, 'login', 'a'), (2, 'logout', null), (3, 'other', 'c'), (4, 'other', 'c');

create table inventory.buckets (
    id int primary key,
    v text
) partition by hash (id);
create table inventory.buckets_0 partition of inventory.buckets for values with (modulus 3, remainder 0);
create table inventory.buckets_1 partition of inventory.buckets for values with (modulus 3, remainder 1);
create table inventory.buckets_2 partition of inventory.buckets for values with (modulus 3, remainder 2);
insert into inventory.buckets select i, md5(i::text) from generate_series(1, 30) i;

-- Constraints: exclusion, deferrable foreign keys, checks, unique with replica identity using it -----------

create table public.rooms (
    "Room" text primary key,
    floor positive_int
);
create table public.bookings (
    id int generated by default as identity (start with -5 increment by -1 minvalue -1000000),
    "Room" text not null references public.rooms ("Room") on update cascade deferrable initially deferred,
    during tsrange not null,
    note text,
    constraint no_double_booking exclude using gist ("Room" with =, during with &&),
    constraint during_not_empty check (not isempty(during)),
    constraint bookings_id_unique unique (id)
);
alter table public.bookings replica identity using index bookings_id_unique;
insert into public.rooms values ('A', 1), ('B ', 2), ('Ω', 3);
insert into public.bookings ("Room", during, note) values
    ('A', '[2020-01-01,2020-01-02)', 'first'),
    ('A', '[2020-01-02,2020-01-03)', null),
    ('Ω', '[-infinity,infinity)', 'forever');

create table public.parents (id int primary key, name text);
create table public.children (
    id int primary key,
    parent_id int references public.parents deferrable initially immediate,
    self_id int references public.children deferrable initially deferred
);
begin;
set constraints all deferred;
insert into public.children values (1, 1, 2), (2, 1, 1);
insert into public.parents values (1, 'cyclic');
commit;

-- A table without a primary key: replica identity full, duplicate rows ------------------------------------

create table public.no_key (a int, b text, c float8);
alter table public.no_key replica identity full;
insert into public.no_key values (1, 'dup', 0.1), (1, 'dup', 0.1), (null, null, null), (2, 'x', 'NaN');

-- Functions, a procedure, triggers, views, a materialized view ---------------------------------------------

create function audit.touch() returns trigger language plpgsql as $$
begin
    new.changed_at := coalesce(new.changed_at, '2000-01-01 00:00+00');
    return new;
end
$$;
create function public.add_one(x int default 1, out y int) language sql immutable strict as $$ select x + 1 $$;
create function "Sales"."Total Of"(variadic amounts numeric[]) returns numeric language sql stable as
    $$ select sum(a) from unnest(amounts) a $$;
create procedure public.bump(inout counter int, amount int default 1) language plpgsql as $$
begin
    counter := counter + amount;
end
$$;
comment on function public.add_one(int) is 'A function with a default and an OUT parameter';
comment on procedure public.bump(int, int) is 'A procedure with INOUT';

create table audit.log (
    id bigint generated always as identity,
    changed_at timestamptz,
    what text,
    primary key (id)
);
create trigger "Touch It" before insert or update on audit.log for each row execute procedure audit.touch();
create trigger log_statement after truncate on audit.log for each statement execute procedure audit.touch();
alter table audit.log disable trigger log_statement;
insert into audit.log (what) values ('created'), (null);

create view public.everything_summary as
select id, "MixedCase", coalesce(d, 0) as d, feeling from public."Everything" where id > 0;
create view "Sales"."EU orders" with (security_barrier) as
select id, placed, total from "Sales".orders where region in ('eu', 'EU')
with local check option;
comment on view "Sales"."EU orders" is 'A view with a check option and a security barrier';
create materialized view inventory.item_counts as
select tableoid::regclass::text as level, count(*) as n from inventory.items group by 1;
create unique index item_counts_level on inventory.item_counts (level);

-- Row-level security, grants, replica identity, statistics, storage -----------------------------------------

create table public.secrets (
    id int primary key,
    owner_name text not null default current_user,
    secret text
);
alter table public.secrets enable row level security;
alter table public.secrets force row level security;
create policy "owner reads" on public.secrets for select using (owner_name = current_user);
create policy readers_all on public.secrets as restrictive for all to "Zoo Reader" using (true) with check (secret <> '');
insert into public.secrets values (1, 'zoo_owner', 'shh'), (2, 'someone', null);
grant usage on schema "Sales", inventory to "Zoo Reader";
grant select on public.secrets, public."Everything" to "Zoo Reader";
grant select (id, placed) on "Sales".orders to "Zoo Reader";
alter table inventory.items owner to zoo_owner;

alter table public."Everything" alter column txt_big set storage external;
alter table public."Everything" alter column d set statistics 500;
create index everything_docb on public."Everything" using gin (docb jsonb_path_ops);
create index everything_lower on public."Everything" (lower("MixedCase")) where flag;
create index everything_brin on public."Everything" using brin (born);
create index everything_hash on public."Everything" using hash (id_uuid);
create index everything_spgist on public."Everything" using spgist (addr inet_ops);
create unique index everything_nulls on public."Everything" (tiny, big) include ("with space");

-- A text search configuration and a collation --------------------------------------------------------------

create text search configuration public.zoo_search (copy = pg_catalog.simple);
create collation public."Zoo C" (locale = 'C');
create table public.collated (id int primary key, t text collate public."Zoo C", ci citext unique);
insert into public.collated values (1, 'b', 'X'), (2, 'B', 'y'), (3, 'a', '');
