-- constraints: foreign key actions changed (ON DELETE CASCADE, ON UPDATE SET NULL), FKs added with SET DEFAULT/RESTRICT and MATCH FULL
CREATE TABLE public.authors (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE public.books (id int PRIMARY KEY, author_id int, author_code text, editor_id int DEFAULT 0,
    CONSTRAINT books_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.authors (id) ON DELETE CASCADE ON UPDATE SET NULL,
    CONSTRAINT books_author_code_fkey FOREIGN KEY (author_code) REFERENCES public.authors (code) MATCH FULL ON UPDATE CASCADE ON DELETE RESTRICT,
    CONSTRAINT books_editor_fkey FOREIGN KEY (editor_id) REFERENCES public.authors (id) ON DELETE SET DEFAULT);
