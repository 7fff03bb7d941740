--
-- PostgreSQL database dump
--

\restrict 1TVqI9UJUBKeAON9W73OMeIRdf2JHmXwAmGFMnKjgkwDKmKXCoJCi8IKFc89Hfv

-- Dumped from database version 11.22
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

--
-- Name: customer customer_email_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.customer
    ADD CONSTRAINT customer_email_key UNIQUE (email);


--
-- Name: customer customer_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.customer
    ADD CONSTRAINT customer_pkey PRIMARY KEY (id);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id, ordered_on);


--
-- Name: orders_2024 orders_2024_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders_2024
    ADD CONSTRAINT orders_2024_pkey PRIMARY KEY (id, ordered_on);


--
-- Name: orders_2025 orders_2025_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders_2025
    ADD CONSTRAINT orders_2025_pkey PRIMARY KEY (id, ordered_on);


--
-- Name: store store_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.store
    ADD CONSTRAINT store_pkey PRIMARY KEY (id);


--
-- Name: customer_lower_name_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX customer_lower_name_idx ON public.customer USING btree (lower(name));


--
-- Name: customer_name_trgm_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX customer_name_trgm_idx ON public.customer USING gin (name public.gin_trgm_ops);


--
-- Name: orders_open_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX orders_open_idx ON public.orders_2025 USING btree (customer_id) WHERE (status = ANY (ARRAY['new'::public.order_status, 'paid'::public.order_status]));


--
-- Name: orders_tags_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX orders_tags_idx ON public.orders_2024 USING gin (tags);


--
-- Name: status_counts_status_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX status_counts_status_idx ON public.status_counts USING btree (status);


SET default_tablespace = ts;

--
-- Name: store_name_idx; Type: INDEX; Schema: public; Owner: postgres; Tablespace: ts
--

CREATE INDEX store_name_idx ON public.store USING btree (name);


--
-- Name: INDEX store_name_idx; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON INDEX public.store_name_idx IS 'names; Type: INDEX; Schema: public; Owner: x';


--
-- Name: orders_2024_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.orders_pkey ATTACH PARTITION public.orders_2024_pkey;


--
-- Name: orders_2025_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.orders_pkey ATTACH PARTITION public.orders_2025_pkey;


--
-- Name: audit_log audit_no_delete; Type: RULE; Schema: public; Owner: postgres
--

CREATE RULE audit_no_delete AS
    ON DELETE TO public.audit_log DO INSTEAD NOTHING;


--
-- Name: customer customer_audit; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER customer_audit AFTER INSERT OR UPDATE ON public.customer FOR EACH ROW EXECUTE PROCEDURE public.log_customer();


--
-- Name: customer customer_preferred_store_fk; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.customer
    ADD CONSTRAINT customer_preferred_store_fk FOREIGN KEY (preferred_store_id) REFERENCES public.store(id);


--
-- Name: orders orders_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE public.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customer(id);


--
-- Name: store store_manager_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.store
    ADD CONSTRAINT store_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES public.customer(id);


--
-- Name: status_counts; Type: MATERIALIZED VIEW DATA; Schema: public; Owner: postgres
--

REFRESH MATERIALIZED VIEW public.status_counts;


--
-- PostgreSQL database dump complete
--

\unrestrict 1TVqI9UJUBKeAON9W73OMeIRdf2JHmXwAmGFMnKjgkwDKmKXCoJCi8IKFc89Hfv

