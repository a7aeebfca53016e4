-- constraints: self-referencing FK made DEFERRABLE INITIALLY DEFERRED; another switched to INITIALLY IMMEDIATE; composite FK added
CREATE TABLE public.nodes (id int PRIMARY KEY, parent_id int, tag int, CONSTRAINT nodes_id_tag_key UNIQUE (id, tag),
    CONSTRAINT nodes_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.nodes (id) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE public.edges (a int, b int,
    CONSTRAINT edges_a_fkey FOREIGN KEY (a) REFERENCES public.nodes (id) DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT edges_ab_fkey FOREIGN KEY (a, b) REFERENCES public.nodes (id, tag) ON DELETE SET NULL (b));
