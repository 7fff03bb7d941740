-- Writes of every kind on the source while the target streams from it: inserts, updates and deletes in every
-- kind of table, rows moving between partitions and between sub-partitions, TOASTed values updated and left
-- alone, duplicate rows of a table without a key, a deferred foreign-key cycle, a truncate.

-- The table of every type: new awkward rows, NaN to a number and back, infinities swapped.
insert into public."Everything" ("MixedCase", d, r, free, born, at_tz, words, kv, feeling, temp, qty, raw, txt_big)
values ('streamed', 'NaN', '-Infinity', 'NaN', 'infinity', '-infinity', '{"a b",NULL,"\\"}', '"k"=>NULL', 'Über',
        '(-Infinity,0]', 5, '\x00', repeat('streamed toast ', 10000));
update public."Everything" set d = 'Infinity', free = 1.5 where "MixedCase" = 'NaN and infinities';
update public."Everything" set d = 'NaN', r = '-0', born = '-infinity' where "MixedCase" = 'infinite float';
-- A TOASTed row: first a column beside the TOASTed values (they stay untouched), then the values themselves.
update public."Everything" set flag = not coalesce(flag, false) where "MixedCase" = 'plain';
update public."Everything" set txt_big = txt_big || 'tail', raw = raw || '\xdeadbeef' where "MixedCase" = 'plain';
update public."Everything" set txt_big = null where "MixedCase" = 'NaN and infinities';
delete from public."Everything" where "MixedCase" is null;

-- Inheritance: rows at every level, written through the parent and directly.
insert into inventory.items values (3, 'streamed item', 'infinity');
insert into inventory.tools values (12, 'streamed tool', null, 1);
insert into inventory."Power Tools" values (22, 'streamed power tool', '-infinity', 2, 'NaN');
insert into inventory.food values (32, 'streamed food', null, '-infinity', 'NaN');
update inventory.items set label = label || ' (renamed)' where id in (1, 11, 21, 31);
delete from inventory.items where id in (2, 10, 20, 30);

-- Range partitions with list sub-partitions and a default one: rows move between them.
insert into "Sales".orders values (2000, '2020-06-01', 'EU', 'new@Example.com', 1, '{"streamed": true}'),
    (2001, '2020-06-01', 'mars', 'far@away', 2, null), (2002, '2030-01-01', 'us', 'late@x', 3, null);
update "Sales".orders set region = 'us' where id = 1 and region = 'EU';
update "Sales".orders set placed = '2022-06-01' where id = 8;
update "Sales".orders set placed = '2019-01-01', region = 'apac' where id = 2002;
update "Sales".orders set total = total + 0.01, lines = lines || '{"updated": 1}' where id between 20 and 25;
delete from "Sales".orders where id in (3, 1000);

-- List partitions without a key (replica identity full): a row moves out of the default partition.
insert into audit.events values (5, null, 'null kind'), (6, 'logout', 'x');
update audit.events set kind = 'login' where id = 3;
update audit.events set payload = 'changed' where id = 4;
delete from audit.events where id = 2;

-- Hash partitions: a key change moves the row to another partition.
update inventory.buckets set id = 100 where id = 1;
update inventory.buckets set v = upper(v) where id between 2 and 6;
delete from inventory.buckets where id = 7;
insert into inventory.buckets values (101, 'streamed');

-- No key at all: duplicates updated and deleted together, a row of nulls, NaN.
insert into public.no_key values (1, 'dup', 0.1), (3, 'three', '-Infinity');
update public.no_key set b = 'was dup' where a = 1;
update public.no_key set c = 0.5 where a = 2;
delete from public.no_key where a = 3;

-- Exclusion constraint, replica identity using an index, on-update cascade.
insert into public.bookings ("Room", during, note) values ('B ', '[2020-01-01,2020-01-05)', 'streamed');
update public.rooms set "Room" = 'A!' where "Room" = 'A';
delete from public.bookings where note = 'forever';

-- A deferred foreign-key cycle written in one transaction.
begin;
set constraints all deferred;
insert into public.children values (3, 2, 4), (4, 2, 3);
insert into public.parents values (2, 'second cycle');
commit;

-- Row-level security, a trigger that fills a column, a collated table, a truncate.
insert into public.secrets values (3, 'zoo_owner', 'streamed secret');
update public.secrets set secret = 'now known' where id = 2;
insert into audit.log (what) values ('streamed');
update audit.log set what = 'updated' where what is null;
insert into public.collated values (4, 'Ä', 'Z');
truncate inventory.buckets_2;
