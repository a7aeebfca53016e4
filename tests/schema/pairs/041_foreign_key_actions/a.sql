CREATE TABLE public.authors (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE public.books (id int PRIMARY KEY, author_id int, author_code text, editor_id int,
    CONSTRAINT books_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.authors (id));
