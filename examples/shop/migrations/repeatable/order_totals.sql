-- A repeatable migration: re-applied whenever this file changes.
-- strata:up
DROP VIEW IF EXISTS order_totals;
CREATE VIEW order_totals AS
SELECT o.id AS order_id,
       o.customer_id,
       sum(l.quantity * p.price_cents) AS total_cents
FROM orders o
JOIN order_lines l ON l.order_id = o.id
JOIN products p ON p.id = l.product_id
GROUP BY o.id, o.customer_id;
