CREATE TABLE public.nodes (id int PRIMARY KEY, parent_id int,
    CONSTRAINT nodes_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.nodes (id));
CREATE TABLE public.edges (a int, b int,
    CONSTRAINT edges_a_fkey FOREIGN KEY (a) REFERENCES public.nodes (id) DEFERRABLE INITIALLY DEFERRED);
