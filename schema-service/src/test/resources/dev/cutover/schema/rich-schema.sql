-- A schema with what real applications have: the round trip 11 -> 17 must keep every part of it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE public.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');
CREATE DOMAIN public.positive_amount AS numeric(12,2) CHECK (VALUE > 0);
CREATE DOMAIN public.email AS citext CHECK (VALUE LIKE '%@%');
CREATE SEQUENCE public.invoice_number START 1000 INCREMENT 5;
CREATE SEQUENCE public.countdown INCREMENT -1 MINVALUE -1000 MAXVALUE 100 START 100;
CREATE TABLE public.customer (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email public.email NOT NULL UNIQUE,
  name text NOT NULL,
  preferred_store_id int,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE public.store (
  id serial PRIMARY KEY,
  name text NOT NULL,
  manager_id bigint REFERENCES public.customer(id)
);
ALTER TABLE public.customer ADD CONSTRAINT customer_preferred_store_fk FOREIGN KEY (preferred_store_id) REFERENCES public.store(id);
CREATE TABLE public.orders (
  id bigserial,
  customer_id bigint NOT NULL REFERENCES public.customer(id),
  status public.order_status NOT NULL DEFAULT 'new',
  total public.positive_amount NOT NULL,
  invoice int DEFAULT nextval('public.invoice_number'),
  tags text[] NOT NULL DEFAULT '{}',
  ordered_on date NOT NULL,
  PRIMARY KEY (id, ordered_on)
) PARTITION BY RANGE (ordered_on);
CREATE TABLE public.orders_2024 PARTITION OF public.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.orders_2025 PARTITION OF public.orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX orders_open_idx ON public.orders_2025 (customer_id) WHERE status IN ('new', 'paid');
CREATE INDEX customer_lower_name_idx ON public.customer (lower(name));
CREATE INDEX customer_name_trgm_idx ON public.customer USING gin (name gin_trgm_ops);
CREATE INDEX orders_tags_idx ON public.orders_2024 USING gin (tags);
CREATE TABLE public.audit_log (at timestamptz NOT NULL DEFAULT now(), entry text);
CREATE FUNCTION public.order_total(c bigint) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT coalesce(sum(total), 0) FROM public.orders WHERE customer_id = c $$;
CREATE FUNCTION public.log_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.audit_log(entry) VALUES (TG_OP || ' ' || NEW.id);
  RETURN NEW;
END $$;
CREATE TRIGGER customer_audit AFTER INSERT OR UPDATE ON public.customer FOR EACH ROW EXECUTE PROCEDURE public.log_customer();
CREATE VIEW public.customer_totals AS SELECT c.id, c.name, public.order_total(c.id) AS total FROM public.customer c;
CREATE MATERIALIZED VIEW public.status_counts AS SELECT status, count(*) AS n FROM public.orders GROUP BY status;
CREATE UNIQUE INDEX status_counts_status_idx ON public.status_counts (status);
CREATE TYPE public.address AS (street text, city text);
ALTER TABLE public.store ADD COLUMN address public.address;
CREATE UNIQUE INDEX store_name_key ON public.store (lower(name)) WHERE name IS NOT NULL;
COMMENT ON INDEX public.store_name_key IS 'store names are unique regardless of case';
CREATE RULE audit_log_no_delete AS ON DELETE TO public.audit_log DO INSTEAD NOTHING;
ALTER TABLE public.store ADD CONSTRAINT store_name_manager_key UNIQUE (name, manager_id) INCLUDE (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE public.customer CLUSTER ON customer_pkey;

-- Data: enough rows for every index to have something to build.
INSERT INTO public.store (name, address) SELECT 'store ' || g, ROW(g || ' Main St', 'Town')::public.address FROM generate_series(1, 20) g;
INSERT INTO public.customer (email, name, preferred_store_id)
     SELECT 'c' || g || '@example.com', 'customer ' || g, 1 + g % 20 FROM generate_series(1, 2000) g;
UPDATE public.store SET manager_id = id;
INSERT INTO public.orders (customer_id, status, total, ordered_on, tags)
     SELECT 1 + g % 2000, (ARRAY['new', 'paid', 'shipped', 'cancelled'])[1 + g % 4]::public.order_status, 1 + g % 500,
            date '2024-01-01' + (g % 700), ARRAY['t' || g % 7, 't' || g % 11]
       FROM generate_series(1, 20000) g;
REFRESH MATERIALIZED VIEW public.status_counts;
SELECT nextval('public.invoice_number') FROM generate_series(1, 3);
SELECT setval('public.countdown', 40, false);
