-- tests/schema/large.sql: a realistic large PostgreSQL 15 schema for the
-- round-trip tests (tests/integration/test_pg_schema.sh): three application
-- schemas (core, commerce, analytics) with ~70 tables, partitions, enums,
-- domains, composite types, sequences, views, materialized views, functions,
-- procedures, triggers, row level security policies, comments and every
-- index kind. Loads into an empty database with psql -v ON_ERROR_STOP=1.

CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SCHEMA core;
CREATE SCHEMA commerce;
CREATE SCHEMA analytics;

COMMENT ON SCHEMA core IS 'identity, organizations and shared reference data';
COMMENT ON SCHEMA commerce IS 'catalog, orders, payments and fulfilment';
COMMENT ON SCHEMA analytics IS 'events, experiments and reporting';

-- ===========================================================================
-- types
-- ===========================================================================

CREATE TYPE core.user_status AS ENUM ('invited', 'active', 'suspended', 'deleted');
CREATE TYPE core.member_role AS ENUM ('owner', 'admin', 'member', 'guest');
CREATE TYPE core.notification_channel AS ENUM ('email', 'sms', 'push', 'webhook');
CREATE TYPE commerce.order_status AS ENUM ('cart', 'placed', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded');
CREATE TYPE commerce.payment_method AS ENUM ('card', 'bank_transfer', 'invoice', 'voucher');
CREATE TYPE commerce.payment_state AS ENUM ('pending', 'authorized', 'captured', 'failed', 'voided');
CREATE TYPE commerce.movement_kind AS ENUM ('receipt', 'shipment', 'adjustment', 'return', 'transfer');
CREATE TYPE analytics.event_kind AS ENUM ('page_view', 'click', 'signup', 'purchase', 'custom');
CREATE TYPE analytics.report_format AS ENUM ('csv', 'json', 'pdf');

CREATE TYPE core.postal_address AS (
    line1 text,
    line2 text,
    city text,
    region text,
    postal_code varchar(16),
    country_code char(2)
);
CREATE TYPE commerce.money_amount AS (amount numeric(14, 2), currency char(3));
CREATE TYPE commerce.dimensions AS (length_mm int, width_mm int, height_mm int, weight_g int);
CREATE TYPE analytics.utm AS (source text, medium text, campaign text, term text, content text);

CREATE DOMAIN core.email_address AS citext
    CONSTRAINT email_address_format CHECK (VALUE ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$');
CREATE DOMAIN core.slug AS text
    CONSTRAINT slug_format CHECK (VALUE ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
    CONSTRAINT slug_length CHECK (length(VALUE) BETWEEN 1 AND 64);
CREATE DOMAIN core.country_code AS char(2) CONSTRAINT country_code_upper CHECK (VALUE = upper(VALUE));
CREATE DOMAIN core.phone_number AS text CHECK (VALUE ~ '^\+[0-9]{6,15}$');
CREATE DOMAIN commerce.currency_code AS char(3) NOT NULL DEFAULT 'EUR' CHECK (VALUE ~ '^[A-Z]{3}$');
CREATE DOMAIN commerce.positive_amount AS numeric(14, 2) CHECK (VALUE >= 0);
CREATE DOMAIN commerce.quantity AS int DEFAULT 1 CHECK (VALUE > 0);
CREATE DOMAIN commerce.sku AS varchar(32) CHECK (VALUE ~ '^[A-Z0-9-]+$');
CREATE DOMAIN analytics.percentage AS numeric(5, 2) CHECK (VALUE BETWEEN 0 AND 100);

COMMENT ON TYPE core.user_status IS 'life cycle of a user account';
COMMENT ON TYPE commerce.order_status IS 'life cycle of an order';
COMMENT ON TYPE core.postal_address IS 'a postal address as one value';
COMMENT ON DOMAIN core.email_address IS 'a case-insensitive e-mail address';
COMMENT ON DOMAIN commerce.sku IS 'stock keeping unit code';
COMMENT ON CONSTRAINT slug_format ON DOMAIN core.slug IS 'lower-case words joined by dashes';

-- ===========================================================================
-- sequences
-- ===========================================================================

CREATE SEQUENCE core.invoice_number_seq AS bigint START WITH 100000 INCREMENT BY 1 CACHE 10;
CREATE SEQUENCE commerce.order_number_seq AS bigint START WITH 1000 INCREMENT BY 7 MINVALUE 1000 NO MAXVALUE;
CREATE SEQUENCE commerce.ticket_seq AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 999999 CYCLE;
CREATE SEQUENCE analytics.batch_seq;

COMMENT ON SEQUENCE commerce.order_number_seq IS 'human-facing order numbers';

-- ===========================================================================
-- functions used by tables, triggers and policies
-- ===========================================================================

CREATE FUNCTION core.set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION core.set_updated_at() IS 'BEFORE UPDATE trigger: stamps updated_at';

CREATE FUNCTION core.normalize_email(e text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(trim(e)) $$;

CREATE FUNCTION core.current_org_id() RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('app.org_id', true), '')::bigint $$;
COMMENT ON FUNCTION core.current_org_id() IS 'organization of the session (app.org_id), or NULL';

CREATE FUNCTION core.make_slug(t text) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN trim(both '-' from regexp_replace(lower(t), '[^a-z0-9]+', '-', 'g'));

CREATE FUNCTION commerce.next_order_number() RETURNS text LANGUAGE sql VOLATILE
    AS $$ SELECT 'ORD-' || lpad(nextval('commerce.order_number_seq')::text, 8, '0') $$;

CREATE FUNCTION analytics.week_of(ts timestamptz) RETURNS date LANGUAGE sql IMMUTABLE
    AS $$ SELECT date_trunc('week', ts AT TIME ZONE 'UTC')::date $$;

-- ===========================================================================
-- core tables
-- ===========================================================================

CREATE TABLE core.countries (
    code core.country_code PRIMARY KEY,
    name text NOT NULL,
    eu_member boolean NOT NULL DEFAULT false
);

CREATE TABLE core.currencies (
    code char(3) PRIMARY KEY,
    name text NOT NULL,
    minor_units smallint NOT NULL DEFAULT 2 CHECK (minor_units BETWEEN 0 AND 4)
);

CREATE TABLE core.organizations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug core.slug NOT NULL,
    name text NOT NULL,
    country core.country_code REFERENCES core.countries (code),
    billing_address core.postal_address,
    settings hstore NOT NULL DEFAULT ''::hstore,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organizations_slug_key UNIQUE (slug)
);

CREATE TABLE core.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    email core.email_address NOT NULL,
    display_name text NOT NULL,
    status core.user_status NOT NULL DEFAULT 'invited',
    phone core.phone_number,
    password_hash text,
    last_login_at timestamptz,
    login_count int NOT NULL DEFAULT 0,
    profile jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_org_email_key UNIQUE (org_id, email),
    CONSTRAINT users_login_count_check CHECK (login_count >= 0)
);

CREATE TABLE core.user_emails (
    user_id bigint NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    email core.email_address NOT NULL,
    verified_at timestamptz,
    is_primary boolean NOT NULL DEFAULT false,
    CONSTRAINT user_emails_pkey PRIMARY KEY (user_id, email)
);

CREATE TABLE core.roles (
    id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    permissions text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE core.user_roles (
    user_id bigint NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    role_id int NOT NULL REFERENCES core.roles (id) ON DELETE RESTRICT,
    granted_at timestamptz NOT NULL DEFAULT now(),
    granted_by bigint REFERENCES core.users (id) ON DELETE SET NULL,
    PRIMARY KEY (user_id, role_id)
);

CREATE TABLE core.teams (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    parent_id bigint REFERENCES core.teams (id) ON DELETE CASCADE,
    name text NOT NULL,
    CONSTRAINT teams_not_own_parent CHECK (parent_id IS DISTINCT FROM id)
);

CREATE TABLE core.team_members (
    team_id bigint NOT NULL REFERENCES core.teams (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    role core.member_role NOT NULL DEFAULT 'member',
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE core.api_keys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id bigint NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    prefix char(8) NOT NULL,
    key_hash bytea NOT NULL,
    scopes text[] NOT NULL DEFAULT ARRAY['read']::text[],
    expires_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNLOGGED TABLE core.sessions (
    token text PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    data jsonb,
    expires_at timestamptz NOT NULL
) WITH (fillfactor = 70);

CREATE TABLE core.password_resets (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    requested_at timestamptz NOT NULL DEFAULT now(),
    used_at timestamptz
);

CREATE TABLE core.audit_log (
    id bigint NOT NULL,
    org_id bigint,
    actor_id bigint,
    action text NOT NULL,
    target text,
    details jsonb,
    at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT audit_log_pkey PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE SEQUENCE core.audit_log_id_seq OWNED BY core.audit_log.id;
ALTER TABLE core.audit_log ALTER COLUMN id SET DEFAULT nextval('core.audit_log_id_seq');
CREATE TABLE core.audit_log_2024q1 PARTITION OF core.audit_log FOR VALUES FROM ('2024-01-01') TO ('2024-04-01');
CREATE TABLE core.audit_log_2024q2 PARTITION OF core.audit_log FOR VALUES FROM ('2024-04-01') TO ('2024-07-01');
CREATE TABLE core.audit_log_2024q3 PARTITION OF core.audit_log FOR VALUES FROM ('2024-07-01') TO ('2024-10-01');
CREATE TABLE core.audit_log_2024q4 PARTITION OF core.audit_log FOR VALUES FROM ('2024-10-01') TO ('2025-01-01');
CREATE TABLE core.audit_log_default PARTITION OF core.audit_log DEFAULT;

CREATE TABLE core.feature_flags (
    key text PRIMARY KEY,
    enabled boolean NOT NULL DEFAULT false,
    rollout analytics.percentage NOT NULL DEFAULT 0,
    org_overrides hstore,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE core.invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id bigint NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    email core.email_address NOT NULL,
    invited_by bigint REFERENCES core.users (id) ON DELETE SET NULL,
    role core.member_role NOT NULL DEFAULT 'member',
    accepted_at timestamptz,
    expires_at timestamptz NOT NULL DEFAULT now() + interval '14 days'
);

CREATE TABLE core.addresses (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    label text NOT NULL DEFAULT 'home',
    address core.postal_address NOT NULL,
    country core.country_code NOT NULL REFERENCES core.countries (code),
    is_default boolean NOT NULL DEFAULT false
);

CREATE TABLE core.notifications (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    channel core.notification_channel NOT NULL,
    subject text,
    body text NOT NULL,
    sent_at timestamptz,
    read_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE core.notification_prefs (
    user_id bigint NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    channel core.notification_channel NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    quiet_hours int4range,
    PRIMARY KEY (user_id, channel)
);

CREATE TABLE core.files (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id bigint NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    path text NOT NULL COLLATE "C",
    content_type text NOT NULL DEFAULT 'application/octet-stream',
    size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
    sha256 bytea NOT NULL,
    uploaded_by bigint REFERENCES core.users (id) ON DELETE SET NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE core.tags (
    id serial PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    name citext NOT NULL,
    color char(7) CHECK (color ~ '^#[0-9a-f]{6}$'),
    CONSTRAINT tags_org_name_key UNIQUE (org_id, name)
);

CREATE TABLE core.taggings (
    tag_id int NOT NULL REFERENCES core.tags (id) ON DELETE CASCADE,
    target_kind text NOT NULL,
    target_id bigint NOT NULL,
    PRIMARY KEY (tag_id, target_kind, target_id)
);

CREATE TABLE core.settings_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    changed_by bigint REFERENCES core.users (id),
    old_settings hstore,
    new_settings hstore,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- ===========================================================================
-- commerce tables
-- ===========================================================================

CREATE TABLE commerce.categories (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id int REFERENCES commerce.categories (id) ON DELETE SET NULL,
    slug core.slug NOT NULL UNIQUE,
    name text NOT NULL,
    position smallint NOT NULL DEFAULT 0
);

CREATE TABLE commerce.brands (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    website text,
    logo_file uuid REFERENCES core.files (id) ON DELETE SET NULL
);

CREATE TABLE commerce.suppliers (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    contact_email core.email_address,
    address core.postal_address,
    lead_time_days int NOT NULL DEFAULT 7 CHECK (lead_time_days >= 0)
);

CREATE TABLE commerce.products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    category_id int REFERENCES commerce.categories (id) ON DELETE SET NULL,
    brand_id int REFERENCES commerce.brands (id) ON DELETE SET NULL,
    supplier_id int REFERENCES commerce.suppliers (id),
    name text NOT NULL,
    slug core.slug NOT NULL,
    description text,
    attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, ''))) STORED,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT products_org_slug_key UNIQUE (org_id, slug)
);

CREATE TABLE commerce.product_variants (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES commerce.products (id) ON DELETE CASCADE,
    sku commerce.sku NOT NULL,
    options jsonb NOT NULL DEFAULT '{}'::jsonb,
    dims commerce.dimensions,
    barcode text,
    CONSTRAINT product_variants_sku_key UNIQUE (sku),
    CONSTRAINT product_variants_barcode_key UNIQUE NULLS NOT DISTINCT (product_id, barcode)
);

CREATE TABLE commerce.product_images (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES commerce.products (id) ON DELETE CASCADE,
    file_id uuid NOT NULL REFERENCES core.files (id) ON DELETE RESTRICT,
    position smallint NOT NULL DEFAULT 0,
    alt_text text
);

CREATE TABLE commerce.price_lists (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    currency commerce.currency_code,
    is_default boolean NOT NULL DEFAULT false
);

CREATE TABLE commerce.prices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    variant_id bigint NOT NULL REFERENCES commerce.product_variants (id) ON DELETE CASCADE,
    price_list_id int NOT NULL REFERENCES commerce.price_lists (id) ON DELETE CASCADE,
    amount commerce.positive_amount NOT NULL,
    valid tstzrange NOT NULL DEFAULT tstzrange(now(), NULL),
    CONSTRAINT prices_no_overlap EXCLUDE USING gist (variant_id WITH =, price_list_id WITH =, valid WITH &&)
);

CREATE TABLE commerce.warehouses (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code varchar(10) NOT NULL UNIQUE,
    name text NOT NULL,
    address core.postal_address,
    location point
);

CREATE TABLE commerce.inventory (
    warehouse_id int NOT NULL REFERENCES commerce.warehouses (id) ON DELETE CASCADE,
    variant_id bigint NOT NULL REFERENCES commerce.product_variants (id) ON DELETE CASCADE,
    on_hand int NOT NULL DEFAULT 0,
    reserved int NOT NULL DEFAULT 0,
    reorder_level int NOT NULL DEFAULT 10,
    CONSTRAINT inventory_pkey PRIMARY KEY (warehouse_id, variant_id),
    CONSTRAINT inventory_reserved_check CHECK (reserved >= 0 AND reserved <= on_hand)
);

CREATE TABLE commerce.stock_movements (
    id bigint GENERATED ALWAYS AS IDENTITY,
    warehouse_id int NOT NULL,
    variant_id bigint NOT NULL,
    kind commerce.movement_kind NOT NULL,
    delta int NOT NULL CHECK (delta <> 0),
    reference text,
    moved_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT stock_movements_pkey PRIMARY KEY (id, variant_id),
    CONSTRAINT stock_movements_inventory_fkey FOREIGN KEY (warehouse_id, variant_id)
        REFERENCES commerce.inventory (warehouse_id, variant_id) ON DELETE CASCADE
) PARTITION BY HASH (variant_id);
CREATE TABLE commerce.stock_movements_p0 PARTITION OF commerce.stock_movements FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE commerce.stock_movements_p1 PARTITION OF commerce.stock_movements FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE commerce.stock_movements_p2 PARTITION OF commerce.stock_movements FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE commerce.stock_movements_p3 PARTITION OF commerce.stock_movements FOR VALUES WITH (MODULUS 4, REMAINDER 3);

CREATE TABLE commerce.coupons (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code citext NOT NULL UNIQUE,
    percent_off analytics.percentage,
    amount_off commerce.positive_amount,
    valid_during daterange NOT NULL,
    max_uses int,
    CONSTRAINT coupons_one_discount CHECK ((percent_off IS NULL) <> (amount_off IS NULL))
);

CREATE TABLE commerce.carts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id bigint REFERENCES core.users (id) ON DELETE CASCADE,
    coupon_id int REFERENCES commerce.coupons (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE commerce.cart_items (
    cart_id uuid NOT NULL REFERENCES commerce.carts (id) ON DELETE CASCADE,
    variant_id bigint NOT NULL REFERENCES commerce.product_variants (id) ON DELETE CASCADE,
    qty commerce.quantity NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cart_id, variant_id)
);

CREATE TABLE commerce.orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES core.organizations (id),
    number text NOT NULL DEFAULT commerce.next_order_number(),
    user_id bigint REFERENCES core.users (id) ON DELETE SET NULL,
    status commerce.order_status NOT NULL DEFAULT 'placed',
    currency commerce.currency_code,
    subtotal commerce.positive_amount NOT NULL DEFAULT 0,
    tax commerce.positive_amount NOT NULL DEFAULT 0,
    shipping commerce.positive_amount NOT NULL DEFAULT 0,
    total numeric(14, 2) GENERATED ALWAYS AS (subtotal + tax + shipping) STORED,
    coupon_id int REFERENCES commerce.coupons (id),
    ship_to core.postal_address,
    notes text,
    placed_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_number_key UNIQUE (number)
);

CREATE TABLE commerce.order_items (
    order_id bigint NOT NULL REFERENCES commerce.orders (id) ON DELETE CASCADE,
    line_no smallint NOT NULL,
    variant_id bigint NOT NULL REFERENCES commerce.product_variants (id),
    qty commerce.quantity NOT NULL,
    unit_price commerce.positive_amount NOT NULL,
    discount numeric(14, 2) NOT NULL DEFAULT 0,
    CONSTRAINT order_items_pkey PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_items_discount_check CHECK (discount >= 0 AND discount <= unit_price * qty)
);

CREATE TABLE commerce.order_status_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES commerce.orders (id) ON DELETE CASCADE,
    from_status commerce.order_status,
    to_status commerce.order_status NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by bigint REFERENCES core.users (id) ON DELETE SET NULL
);

CREATE TABLE commerce.invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES commerce.orders (id),
    number bigint NOT NULL DEFAULT nextval('core.invoice_number_seq') UNIQUE,
    issued_on date NOT NULL DEFAULT CURRENT_DATE,
    due_on date NOT NULL DEFAULT CURRENT_DATE + 30,
    settled_by_payment bigint,
    pdf_file uuid REFERENCES core.files (id),
    CONSTRAINT invoices_due_check CHECK (due_on >= issued_on)
);

CREATE TABLE commerce.payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES commerce.orders (id) ON DELETE RESTRICT,
    invoice_id bigint REFERENCES commerce.invoices (id) DEFERRABLE INITIALLY DEFERRED,
    method commerce.payment_method NOT NULL,
    state commerce.payment_state NOT NULL DEFAULT 'pending',
    amount commerce.money_amount NOT NULL,
    provider_ref text,
    raw_response jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
-- a foreign key cycle: invoices <-> payments
ALTER TABLE commerce.invoices ADD CONSTRAINT invoices_settled_by_payment_fkey
    FOREIGN KEY (settled_by_payment) REFERENCES commerce.payments (id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE commerce.refunds (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id bigint NOT NULL REFERENCES commerce.payments (id) ON DELETE CASCADE,
    amount commerce.positive_amount NOT NULL,
    reason text,
    refunded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE commerce.shipments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES commerce.orders (id) ON DELETE CASCADE,
    warehouse_id int NOT NULL REFERENCES commerce.warehouses (id),
    carrier text NOT NULL,
    tracking_code text,
    shipped_at timestamptz,
    delivered_at timestamptz,
    CONSTRAINT shipments_delivery_after_ship CHECK (delivered_at IS NULL OR delivered_at >= shipped_at)
);

CREATE TABLE commerce.shipment_items (
    shipment_id bigint NOT NULL REFERENCES commerce.shipments (id) ON DELETE CASCADE,
    order_id bigint NOT NULL,
    line_no smallint NOT NULL,
    qty commerce.quantity NOT NULL,
    PRIMARY KEY (shipment_id, order_id, line_no),
    FOREIGN KEY (order_id, line_no) REFERENCES commerce.order_items (order_id, line_no) ON DELETE CASCADE
);

CREATE TABLE commerce.coupon_redemptions (
    coupon_id int NOT NULL REFERENCES commerce.coupons (id) ON DELETE CASCADE,
    order_id bigint NOT NULL REFERENCES commerce.orders (id) ON DELETE CASCADE,
    redeemed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (coupon_id, order_id)
);

CREATE TABLE commerce.reviews (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES commerce.products (id) ON DELETE CASCADE,
    user_id bigint REFERENCES core.users (id) ON DELETE SET NULL,
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title text,
    body text,
    helpful_votes int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE commerce.purchase_orders (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    supplier_id int NOT NULL REFERENCES commerce.suppliers (id),
    warehouse_id int NOT NULL REFERENCES commerce.warehouses (id),
    ordered_on date NOT NULL DEFAULT CURRENT_DATE,
    expected_on date,
    received_on date,
    ticket int NOT NULL DEFAULT nextval('commerce.ticket_seq')
);

CREATE TABLE commerce.purchase_order_lines (
    purchase_order_id int NOT NULL REFERENCES commerce.purchase_orders (id) ON DELETE CASCADE,
    variant_id bigint NOT NULL REFERENCES commerce.product_variants (id),
    qty commerce.quantity NOT NULL,
    unit_cost commerce.positive_amount NOT NULL,
    CONSTRAINT purchase_order_lines_pkey PRIMARY KEY (purchase_order_id, variant_id)
);

CREATE TABLE commerce.wishlists (
    user_id bigint NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES commerce.products (id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, product_id)
);

CREATE TABLE commerce.tax_rates (
    country core.country_code NOT NULL REFERENCES core.countries (code),
    category_id int REFERENCES commerce.categories (id) ON DELETE CASCADE,
    rate numeric(5, 4) NOT NULL CHECK (rate >= 0 AND rate < 1),
    valid daterange NOT NULL,
    CONSTRAINT tax_rates_no_overlap EXCLUDE USING gist (country WITH =, category_id WITH =, valid WITH &&)
);

-- ===========================================================================
-- analytics tables
-- ===========================================================================

CREATE TABLE analytics.events (
    id bigint NOT NULL DEFAULT nextval('analytics.batch_seq'),
    kind analytics.event_kind NOT NULL,
    occurred_at timestamptz NOT NULL,
    org_id bigint,
    user_id bigint,
    session_token text,
    url text,
    utm analytics.utm,
    props jsonb NOT NULL DEFAULT '{}'::jsonb
) PARTITION BY LIST (kind);
CREATE TABLE analytics.events_page_view PARTITION OF analytics.events FOR VALUES IN ('page_view') PARTITION BY RANGE (occurred_at);
CREATE TABLE analytics.events_page_view_2024 PARTITION OF analytics.events_page_view FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE analytics.events_page_view_2025 PARTITION OF analytics.events_page_view FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE analytics.events_commerce PARTITION OF analytics.events FOR VALUES IN ('purchase', 'signup');
CREATE TABLE analytics.events_other PARTITION OF analytics.events DEFAULT;

CREATE TABLE analytics.page_views (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    viewed_at timestamptz NOT NULL,
    path text NOT NULL,
    referrer text,
    user_agent text,
    client_ip inet,
    duration_ms int
);

CREATE TABLE analytics.daily_stats (
    day date NOT NULL,
    org_id bigint NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    metric text NOT NULL,
    value double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (day, org_id, metric)
) WITH (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.02);

CREATE TABLE analytics.funnels (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    name text NOT NULL,
    window_interval interval NOT NULL DEFAULT interval '1 day'
);

CREATE TABLE analytics.funnel_steps (
    funnel_id int NOT NULL REFERENCES analytics.funnels (id) ON DELETE CASCADE,
    step smallint NOT NULL,
    event_kind analytics.event_kind NOT NULL,
    filter jsonb,
    PRIMARY KEY (funnel_id, step)
);

CREATE TABLE analytics.experiments (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key text NOT NULL UNIQUE,
    description text,
    variants text[] NOT NULL CHECK (cardinality(variants) >= 2),
    traffic analytics.percentage NOT NULL DEFAULT 100,
    running daterange
);

CREATE TABLE analytics.experiment_assignments (
    experiment_id int NOT NULL REFERENCES analytics.experiments (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    variant text NOT NULL,
    assigned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (experiment_id, user_id)
);

CREATE TABLE analytics.reports (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    name text NOT NULL,
    query text NOT NULL,
    format analytics.report_format NOT NULL DEFAULT 'csv',
    schedule text,
    owner_id bigint REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT reports_org_name_key UNIQUE (org_id, name)
);

CREATE TABLE analytics.report_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id int NOT NULL REFERENCES analytics.reports (id) ON DELETE CASCADE,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    rows_out bigint,
    output_file uuid REFERENCES core.files (id) ON DELETE SET NULL,
    error text
);

CREATE TABLE analytics.search_queries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint,
    query text NOT NULL,
    results int NOT NULL DEFAULT 0,
    searched_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNLOGGED TABLE analytics.realtime_counters (
    key text PRIMARY KEY,
    value bigint NOT NULL DEFAULT 0,
    touched_at timestamptz NOT NULL DEFAULT now()
);

-- ===========================================================================
-- indexes (every kind)
-- ===========================================================================

-- btree: plain, multi-column, DESC / NULLS, expression, partial, INCLUDE, unique
CREATE INDEX users_org_id_idx ON core.users (org_id);
CREATE UNIQUE INDEX users_email_norm_key ON core.users (org_id, core.normalize_email(email::text));
CREATE INDEX users_last_login_idx ON core.users (last_login_at DESC NULLS LAST);
CREATE INDEX users_active_idx ON core.users (org_id, created_at) WHERE status = 'active';
CREATE INDEX users_name_incl_idx ON core.users (display_name) INCLUDE (email, status);
CREATE INDEX user_roles_role_idx ON core.user_roles (role_id);
CREATE INDEX teams_org_idx ON core.teams (org_id, parent_id NULLS FIRST);
CREATE INDEX team_members_user_idx ON core.team_members (user_id);
CREATE UNIQUE INDEX api_keys_prefix_key ON core.api_keys (prefix) WHERE revoked_at IS NULL;
CREATE INDEX api_keys_user_idx ON core.api_keys (user_id);
CREATE INDEX sessions_user_idx ON core.sessions (user_id);
CREATE INDEX sessions_expiry_idx ON core.sessions (expires_at);
CREATE INDEX audit_log_org_at_idx ON core.audit_log (org_id, at DESC);
CREATE INDEX invitations_org_idx ON core.invitations (org_id) WHERE accepted_at IS NULL;
CREATE UNIQUE INDEX invitations_org_email_key ON core.invitations (org_id, lower(email::text)) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX addresses_one_default ON core.addresses (user_id) WHERE is_default;
CREATE INDEX notifications_unread_idx ON core.notifications (user_id, created_at DESC) WHERE read_at IS NULL;
CREATE UNIQUE INDEX files_org_path_key ON core.files (org_id, path);
CREATE INDEX taggings_target_idx ON core.taggings (target_kind, target_id);
CREATE INDEX products_category_idx ON commerce.products (category_id) WHERE is_active;
CREATE INDEX products_brand_idx ON commerce.products (brand_id);
CREATE INDEX product_images_product_idx ON commerce.product_images (product_id, position);
CREATE INDEX orders_user_idx ON commerce.orders (user_id, placed_at DESC);
CREATE INDEX orders_org_status_idx ON commerce.orders (org_id, status) INCLUDE (total);
CREATE INDEX orders_open_idx ON commerce.orders (placed_at) WHERE status IN ('placed', 'paid');
CREATE INDEX order_items_variant_idx ON commerce.order_items (variant_id);
CREATE INDEX order_status_history_order_idx ON commerce.order_status_history (order_id, changed_at);
CREATE INDEX payments_order_idx ON commerce.payments (order_id);
CREATE UNIQUE INDEX payments_provider_ref_key ON commerce.payments (provider_ref) WHERE provider_ref IS NOT NULL;
CREATE INDEX payments_amount_idx ON commerce.payments (((amount).currency), ((amount).amount));
CREATE INDEX shipments_order_idx ON commerce.shipments (order_id);
CREATE INDEX reviews_product_rating_idx ON commerce.reviews (product_id, rating DESC, created_at DESC);
CREATE INDEX stock_movements_moved_idx ON commerce.stock_movements (moved_at);
CREATE INDEX inventory_low_idx ON commerce.inventory (variant_id) WHERE on_hand - reserved < reorder_level;
CREATE INDEX daily_stats_org_metric_idx ON analytics.daily_stats (org_id, metric, day DESC);
CREATE INDEX experiment_assignments_user_idx ON analytics.experiment_assignments (user_id);
CREATE INDEX report_runs_report_idx ON analytics.report_runs (report_id, started_at DESC);
CREATE INDEX events_org_time_idx ON analytics.events (org_id, occurred_at);
CREATE INDEX search_queries_week_idx ON analytics.search_queries (analytics.week_of(searched_at));
CREATE INDEX products_name_c_idx ON commerce.products (name COLLATE "C" text_pattern_ops);

-- hash
CREATE INDEX sessions_token_hash_idx ON core.sessions USING hash (token);
CREATE INDEX product_variants_barcode_hash ON commerce.product_variants USING hash (barcode);
CREATE INDEX page_views_path_hash ON analytics.page_views USING hash (path);

-- gin
CREATE INDEX users_profile_gin ON core.users USING gin (profile jsonb_path_ops);
CREATE INDEX organizations_settings_gin ON core.organizations USING gin (settings);
CREATE INDEX roles_permissions_gin ON core.roles USING gin (permissions);
CREATE INDEX api_keys_scopes_gin ON core.api_keys USING gin (scopes);
CREATE INDEX products_attributes_gin ON commerce.products USING gin (attributes);
CREATE INDEX products_search_gin ON commerce.products USING gin (search);
CREATE INDEX products_name_trgm ON commerce.products USING gin (name gin_trgm_ops);
CREATE INDEX product_variants_options_gin ON commerce.product_variants USING gin (options jsonb_path_ops) WITH (fastupdate = off);
CREATE INDEX events_props_gin ON analytics.events USING gin (props);
CREATE INDEX search_queries_trgm ON analytics.search_queries USING gin (query gin_trgm_ops);

-- gist
CREATE INDEX notification_prefs_quiet_gist ON core.notification_prefs USING gist (quiet_hours);
CREATE INDEX warehouses_location_gist ON commerce.warehouses USING gist (location);
CREATE INDEX coupons_valid_gist ON commerce.coupons USING gist (valid_during);
CREATE INDEX experiments_running_gist ON analytics.experiments USING gist (running);
CREATE INDEX reviews_title_trgm_gist ON commerce.reviews USING gist (title gist_trgm_ops);

-- sp-gist
CREATE INDEX page_views_ip_spgist ON analytics.page_views USING spgist (client_ip);
CREATE INDEX files_path_spgist ON core.files USING spgist (path);

-- brin
CREATE INDEX page_views_viewed_brin ON analytics.page_views USING brin (viewed_at) WITH (pages_per_range = 64);
CREATE INDEX notifications_created_brin ON core.notifications USING brin (created_at);
CREATE INDEX settings_history_changed_brin ON core.settings_history USING brin (changed_at, id);

COMMENT ON INDEX core.users_email_norm_key IS 'one account per normalized e-mail per organization';
COMMENT ON INDEX commerce.products_search_gin IS 'full text search over name and description';

-- ===========================================================================
-- views
-- ===========================================================================

CREATE VIEW core.active_users AS
    SELECT u.id, u.org_id, u.email, u.display_name, u.last_login_at
    FROM core.users u
    WHERE u.status = 'active';

CREATE VIEW core.user_directory WITH (security_barrier = true) AS
    SELECT u.id, u.display_name, o.name AS organization, array_agg(t.name ORDER BY t.name) AS teams
    FROM core.users u
    JOIN core.organizations o ON o.id = u.org_id
    LEFT JOIN core.team_members tm ON tm.user_id = u.id
    LEFT JOIN core.teams t ON t.id = tm.team_id
    WHERE o.id = core.current_org_id() OR core.current_org_id() IS NULL
    GROUP BY u.id, u.display_name, o.name;

CREATE VIEW core.org_member_counts AS
    SELECT org_id, count(*) AS members, count(*) FILTER (WHERE status = 'active') AS active_members
    FROM core.users
    GROUP BY org_id;

CREATE VIEW commerce.product_catalog WITH (security_invoker = true) AS
    SELECT p.id, p.name, p.slug, c.name AS category, b.name AS brand, v.sku, pr.amount AS price, pl.currency
    FROM commerce.products p
    JOIN commerce.product_variants v ON v.product_id = p.id
    LEFT JOIN commerce.categories c ON c.id = p.category_id
    LEFT JOIN commerce.brands b ON b.id = p.brand_id
    LEFT JOIN commerce.prices pr ON pr.variant_id = v.id AND pr.valid @> now()
    LEFT JOIN commerce.price_lists pl ON pl.id = pr.price_list_id AND pl.is_default
    WHERE p.is_active;

-- a view chain: order_totals -> customer_ltv -> top_customers
CREATE VIEW commerce.order_totals AS
    SELECT o.id AS order_id, o.user_id, o.org_id, o.status, o.placed_at,
           sum(i.qty * i.unit_price - i.discount) AS items_total, o.total
    FROM commerce.orders o
    LEFT JOIN commerce.order_items i ON i.order_id = o.id
    GROUP BY o.id;

CREATE VIEW commerce.customer_ltv AS
    SELECT user_id, org_id, count(*) AS orders, sum(total) AS lifetime_value, max(placed_at) AS last_order_at
    FROM commerce.order_totals
    WHERE status NOT IN ('cancelled', 'refunded') AND user_id IS NOT NULL
    GROUP BY user_id, org_id;

CREATE VIEW commerce.top_customers AS
    SELECT l.user_id, u.display_name, l.lifetime_value
    FROM commerce.customer_ltv l
    JOIN core.users u ON u.id = l.user_id
    ORDER BY l.lifetime_value DESC
    LIMIT 100;

CREATE VIEW commerce.low_stock AS
    SELECT w.code AS warehouse, v.sku, i.on_hand, i.reserved, i.reorder_level
    FROM commerce.inventory i
    JOIN commerce.warehouses w ON w.id = i.warehouse_id
    JOIN commerce.product_variants v ON v.id = i.variant_id
    WHERE i.on_hand - i.reserved < i.reorder_level;

CREATE VIEW commerce.open_orders AS
    SELECT id, number, user_id, status, placed_at
    FROM commerce.orders
    WHERE status IN ('placed', 'paid')
    WITH CASCADED CHECK OPTION;

CREATE VIEW analytics.recent_events AS
    SELECT id, kind, occurred_at, org_id, user_id, (utm).source AS utm_source
    FROM analytics.events
    WHERE occurred_at > now() - interval '7 days';

-- ===========================================================================
-- materialized views and their indexes
-- ===========================================================================

CREATE MATERIALIZED VIEW analytics.mv_daily_revenue AS
    SELECT o.org_id, o.placed_at::date AS day, o.currency, count(*) AS orders, sum(o.total) AS revenue
    FROM commerce.orders o
    WHERE o.status IN ('paid', 'shipped', 'delivered')
    GROUP BY o.org_id, o.placed_at::date, o.currency
WITH NO DATA;
CREATE UNIQUE INDEX mv_daily_revenue_key ON analytics.mv_daily_revenue (org_id, day, currency);
CREATE INDEX mv_daily_revenue_day_brin ON analytics.mv_daily_revenue USING brin (day);

CREATE MATERIALIZED VIEW analytics.mv_product_popularity AS
    SELECT v.product_id, sum(i.qty) AS units, count(DISTINCT i.order_id) AS orders
    FROM commerce.order_items i
    JOIN commerce.product_variants v ON v.id = i.variant_id
    GROUP BY v.product_id;
CREATE UNIQUE INDEX mv_product_popularity_key ON analytics.mv_product_popularity (product_id);
CREATE INDEX mv_product_popularity_units_idx ON analytics.mv_product_popularity (units DESC);

CREATE MATERIALIZED VIEW analytics.mv_user_activity AS
    SELECT user_id, analytics.week_of(occurred_at) AS week, count(*) AS events, jsonb_object_agg(kind, 1) AS kinds
    FROM analytics.events
    WHERE user_id IS NOT NULL
    GROUP BY user_id, analytics.week_of(occurred_at)
WITH NO DATA;
CREATE UNIQUE INDEX mv_user_activity_key ON analytics.mv_user_activity (user_id, week);
CREATE INDEX mv_user_activity_kinds_gin ON analytics.mv_user_activity USING gin (kinds);

-- ===========================================================================
-- functions and procedures that read tables
-- ===========================================================================

CREATE FUNCTION commerce.order_total(p_order bigint) RETURNS numeric LANGUAGE sql STABLE
    AS $$ SELECT coalesce(sum(qty * unit_price - discount), 0) FROM commerce.order_items WHERE order_id = p_order $$;

CREATE FUNCTION commerce.order_total(p_order bigint, p_with_shipping boolean) RETURNS numeric LANGUAGE sql STABLE
    AS $$ SELECT commerce.order_total(p_order) + CASE WHEN p_with_shipping THEN (SELECT shipping FROM commerce.orders WHERE id = p_order) ELSE 0 END $$;

CREATE FUNCTION commerce.available_stock(p_variant bigint) RETURNS TABLE (warehouse text, available int)
    LANGUAGE sql STABLE
    AS $$
        SELECT w.code::text, i.on_hand - i.reserved
        FROM commerce.inventory i JOIN commerce.warehouses w ON w.id = i.warehouse_id
        WHERE i.variant_id = p_variant
    $$;

CREATE FUNCTION commerce.recalc_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_order bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        v_order := OLD.order_id;
    ELSE
        v_order := NEW.order_id;
    END IF;
    UPDATE commerce.orders SET subtotal = commerce.order_total(v_order) WHERE id = v_order;
    RETURN NULL;
END;
$$;

CREATE FUNCTION commerce.log_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO commerce.order_status_history (order_id, from_status, to_status)
    VALUES (NEW.id, OLD.status, NEW.status);
    RETURN NEW;
END;
$$;

CREATE FUNCTION commerce.apply_stock_movement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE commerce.inventory
       SET on_hand = on_hand + NEW.delta
     WHERE warehouse_id = NEW.warehouse_id AND variant_id = NEW.variant_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no inventory row for warehouse % variant %', NEW.warehouse_id, NEW.variant_id;
    END IF;
    RETURN NEW;
END;
$$;

CREATE FUNCTION core.audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, core AS $$
BEGIN
    INSERT INTO core.audit_log (org_id, action, target, details)
    VALUES (core.current_org_id(), TG_OP, TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
            CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END);
    RETURN NULL;
END;
$$;

CREATE FUNCTION core.settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core.settings_history (org_id, old_settings, new_settings)
    VALUES (NEW.id, OLD.settings, NEW.settings);
    RETURN NULL;
END;
$$;

CREATE FUNCTION analytics.record_event(p_kind analytics.event_kind, p_user bigint, p_props jsonb DEFAULT '{}')
    RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO analytics.events (kind, occurred_at, user_id, props)
    VALUES (p_kind, now(), p_user, coalesce(p_props, '{}'))
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

CREATE FUNCTION analytics.bump_counter(p_key text, p_by bigint DEFAULT 1) RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO analytics.realtime_counters AS c (key, value) VALUES (p_key, p_by)
    ON CONFLICT (key) DO UPDATE SET value = c.value + excluded.value, touched_at = now()
    RETURNING value
$$;

CREATE PROCEDURE analytics.refresh_all() LANGUAGE plpgsql AS $$
BEGIN
    REFRESH MATERIALIZED VIEW analytics.mv_daily_revenue;
    REFRESH MATERIALIZED VIEW analytics.mv_product_popularity;
    REFRESH MATERIALIZED VIEW analytics.mv_user_activity;
END;
$$;

CREATE PROCEDURE core.purge_expired_sessions(INOUT removed int DEFAULT 0) LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM core.sessions WHERE expires_at < now();
    GET DIAGNOSTICS removed = ROW_COUNT;
END;
$$;

COMMENT ON FUNCTION commerce.order_total(bigint) IS 'sum of the order''s lines';
COMMENT ON FUNCTION commerce.order_total(bigint, boolean) IS 'sum of the lines, optionally with shipping';
COMMENT ON PROCEDURE analytics.refresh_all() IS 'refresh every materialized view of analytics';

-- ===========================================================================
-- triggers
-- ===========================================================================

CREATE TRIGGER organizations_updated_at BEFORE UPDATE ON core.organizations FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();
CREATE TRIGGER users_updated_at BEFORE UPDATE ON core.users FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();
CREATE TRIGGER feature_flags_updated_at BEFORE UPDATE ON core.feature_flags FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();
CREATE TRIGGER products_updated_at BEFORE UPDATE ON commerce.products FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();
CREATE TRIGGER carts_updated_at BEFORE UPDATE ON commerce.carts FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();
CREATE TRIGGER orders_updated_at BEFORE UPDATE ON commerce.orders FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();
CREATE TRIGGER orders_status_change AFTER UPDATE OF status ON commerce.orders FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION commerce.log_status_change();
CREATE TRIGGER order_items_recalc AFTER INSERT OR UPDATE OR DELETE ON commerce.order_items FOR EACH ROW EXECUTE FUNCTION commerce.recalc_order();
CREATE TRIGGER stock_movements_apply AFTER INSERT ON commerce.stock_movements FOR EACH ROW EXECUTE FUNCTION commerce.apply_stock_movement();
CREATE TRIGGER organizations_settings_changed AFTER UPDATE OF settings ON core.organizations FOR EACH ROW
    WHEN (OLD.settings IS DISTINCT FROM NEW.settings) EXECUTE FUNCTION core.settings_changed();
CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON core.users FOR EACH ROW EXECUTE FUNCTION core.audit();
CREATE TRIGGER roles_audit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON core.roles FOR EACH STATEMENT EXECUTE FUNCTION core.audit();
CREATE TRIGGER payments_audit AFTER UPDATE ON commerce.payments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION core.audit();
CREATE CONSTRAINT TRIGGER invoices_settled_check AFTER INSERT OR UPDATE ON commerce.invoices
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION core.audit();

COMMENT ON TRIGGER orders_status_change ON commerce.orders IS 'keeps order_status_history';

-- ===========================================================================
-- row level security
-- ===========================================================================

ALTER TABLE core.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.files ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.files FORCE ROW LEVEL SECURITY;
ALTER TABLE commerce.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE commerce.products ENABLE ROW LEVEL SECURITY;
ALTER TABLE analytics.reports ENABLE ROW LEVEL SECURITY;

CREATE POLICY users_same_org ON core.users USING (org_id = core.current_org_id());
CREATE POLICY users_not_deleted ON core.users AS RESTRICTIVE FOR SELECT TO PUBLIC USING (status <> 'deleted');
CREATE POLICY teams_same_org ON core.teams USING (org_id = core.current_org_id()) WITH CHECK (org_id = core.current_org_id());
CREATE POLICY files_same_org ON core.files FOR ALL TO CURRENT_USER USING (org_id = core.current_org_id());
CREATE POLICY files_insert ON core.files FOR INSERT WITH CHECK (size_bytes < 1073741824);
CREATE POLICY orders_same_org ON commerce.orders USING (org_id = core.current_org_id());
CREATE POLICY orders_no_delete ON commerce.orders AS RESTRICTIVE FOR DELETE USING (status = 'cart');
CREATE POLICY products_read ON commerce.products FOR SELECT USING (is_active OR org_id = core.current_org_id());
CREATE POLICY products_write ON commerce.products FOR UPDATE USING (org_id = core.current_org_id()) WITH CHECK (org_id = core.current_org_id());
CREATE POLICY reports_owner ON analytics.reports USING (org_id = core.current_org_id());

COMMENT ON POLICY users_same_org ON core.users IS 'tenants see their own users only';

-- ===========================================================================
-- comments on tables and columns
-- ===========================================================================

COMMENT ON TABLE core.organizations IS 'tenants';
COMMENT ON COLUMN core.organizations.slug IS 'url-safe unique name';
COMMENT ON COLUMN core.organizations.settings IS 'free-form key/value settings';
COMMENT ON TABLE core.users IS 'people who can sign in';
COMMENT ON COLUMN core.users.email IS 'sign-in address, unique per organization';
COMMENT ON COLUMN core.users.password_hash IS 'crypt() hash; NULL for SSO-only users';
COMMENT ON COLUMN core.users.profile IS 'avatar, locale, time zone...';
COMMENT ON CONSTRAINT users_login_count_check ON core.users IS 'never negative';
COMMENT ON TABLE core.sessions IS 'web sessions; unlogged, lost on crash by design';
COMMENT ON TABLE core.audit_log IS 'append-only audit trail, partitioned by quarter';
COMMENT ON TABLE core.audit_log_default IS 'rows outside every quarter partition';
COMMENT ON TABLE commerce.products IS 'sellable products';
COMMENT ON COLUMN commerce.products.search IS 'generated full text vector';
COMMENT ON TABLE commerce.orders IS 'customer orders';
COMMENT ON COLUMN commerce.orders.total IS 'subtotal + tax + shipping (generated)';
COMMENT ON COLUMN commerce.orders.number IS E'human-facing number, e.g. ORD-00001000';
COMMENT ON CONSTRAINT prices_no_overlap ON commerce.prices IS 'one price per variant, list and moment';
COMMENT ON TABLE commerce.stock_movements IS 'every change of stock, hash partitioned by variant';
COMMENT ON TABLE commerce.invoices IS 'invoices; settled_by_payment closes a cycle with payments';
COMMENT ON TABLE analytics.events IS 'raw events, partitioned by kind and time';
COMMENT ON COLUMN analytics.events.utm IS 'campaign parameters';
COMMENT ON TABLE analytics.realtime_counters IS 'hot counters; unlogged';
COMMENT ON VIEW commerce.top_customers IS 'the hundred most valuable customers';
COMMENT ON COLUMN commerce.customer_ltv.lifetime_value IS 'sum of order totals, cancelled and refunded excluded';
COMMENT ON MATERIALIZED VIEW analytics.mv_daily_revenue IS 'refreshed nightly by analytics.refresh_all()';
