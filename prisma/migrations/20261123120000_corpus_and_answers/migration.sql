-- Corpus of récits (consent-aware), French full-text search with a BM25
-- inverted index kept by triggers, assistant answers and their feedback.
-- Vector tables are owned by the vector index adapters (pgvector, array
-- fallback, Chroma), which create them at start: the server PostgreSQL may
-- not have the pgvector extension.

-- French text search without accents: "École" and "ecole" meet.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION relais_fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION relais_fr
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

-- CreateTable
CREATE TABLE "recits" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "author_role" TEXT NOT NULL,
    "sector" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "themes" TEXT[],
    "language" TEXT NOT NULL,
    "consent_status" TEXT NOT NULL,
    "consent_date" TEXT NOT NULL,
    "consent_scope" TEXT[],
    "consent_reference" TEXT NOT NULL,
    "anonymized" BOOLEAN NOT NULL,
    "fictional" BOOLEAN NOT NULL,
    "source_path" TEXT,
    "content_hash" TEXT NOT NULL,
    "metadata_hash" TEXT NOT NULL,
    "scrub_report" JSONB NOT NULL,
    "chunk_count" INTEGER NOT NULL DEFAULT 0,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "withdrawn_at" TIMESTAMPTZ(3),

    CONSTRAINT "recits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recit_chunks" (
    "id" TEXT NOT NULL,
    "seq" SERIAL NOT NULL,
    "recit_id" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "heading" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "token_count" INTEGER NOT NULL,
    "sector" TEXT NOT NULL,
    "author_role" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "themes" TEXT[],
    "language" TEXT NOT NULL,
    "quotable" BOOLEAN NOT NULL,
    "embedding_model" TEXT,
    "tsv" tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('relais_fr'::regconfig, "heading"), 'A') ||
        setweight(to_tsvector('relais_fr'::regconfig, "text"), 'B')
    ) STORED,

    CONSTRAINT "recit_chunks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lexemes" (
    "id" SERIAL NOT NULL,
    "lexeme" TEXT NOT NULL,
    "df" INTEGER NOT NULL,

    CONSTRAINT "lexemes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chunk_postings" (
    "lexeme_id" INTEGER NOT NULL,
    "chunk_seq" INTEGER NOT NULL,
    "tf" REAL NOT NULL,
    "len" INTEGER NOT NULL,

    -- Covering: a search reads postings from the index alone (index-only scan).
    CONSTRAINT "chunk_postings_pkey" PRIMARY KEY ("lexeme_id","chunk_seq") INCLUDE ("tf", "len")
);

-- CreateTable
CREATE TABLE "corpus_stats" (
    "id" INTEGER NOT NULL,
    "chunk_count" INTEGER NOT NULL,
    "total_tokens" BIGINT NOT NULL,
    "version" BIGINT NOT NULL,

    CONSTRAINT "corpus_stats_pkey" PRIMARY KEY ("id")
);
INSERT INTO "corpus_stats" ("id", "chunk_count", "total_tokens", "version") VALUES (1, 0, 0, 0);

-- CreateTable
CREATE TABLE "assistant_answers" (
    "id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "model" TEXT,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "embedding_tokens" INTEGER NOT NULL DEFAULT 0,
    "latency_ms" INTEGER NOT NULL,
    "citations" JSONB NOT NULL,
    "safety_level" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "assistant_answers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "answer_feedback" (
    "answer_id" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "rating" TEXT NOT NULL,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "answer_feedback_pkey" PRIMARY KEY ("answer_id", "person_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "recit_chunks_seq_key" ON "recit_chunks"("seq");
CREATE UNIQUE INDEX "lexemes_lexeme_key" ON "lexemes"("lexeme");
CREATE INDEX "chunk_postings_chunk_seq_idx" ON "chunk_postings"("chunk_seq");
CREATE INDEX "recit_chunks_recit_id_idx" ON "recit_chunks"("recit_id");
CREATE INDEX "recit_chunks_tsv_idx" ON "recit_chunks" USING GIN ("tsv");
CREATE INDEX "assistant_answers_created_at_idx" ON "assistant_answers"("created_at");

-- AddForeignKey
ALTER TABLE "recit_chunks" ADD CONSTRAINT "recit_chunks_recit_id_fkey" FOREIGN KEY ("recit_id") REFERENCES "recits"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "chunk_postings" ADD CONSTRAINT "chunk_postings_lexeme_id_fkey" FOREIGN KEY ("lexeme_id") REFERENCES "lexemes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "chunk_postings" ADD CONSTRAINT "chunk_postings_chunk_seq_fkey" FOREIGN KEY ("chunk_seq") REFERENCES "recit_chunks"("seq") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "answer_feedback" ADD CONSTRAINT "answer_feedback_answer_id_fkey" FOREIGN KEY ("answer_id") REFERENCES "assistant_answers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The BM25 index follows every insert and delete of passages, whoever
-- writes (the bot, the CLI, another instance), in the same transaction:
-- document frequencies, one posting per (lexeme, passage) with the term
-- frequency (title occurrences, weight A, count double) and the passage
-- length, and the corpus totals (average length, version).
CREATE FUNCTION relais_chunks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lexemes (lexeme, df)
        SELECT u.lexeme, count(*) FROM new_rows, unnest(new_rows.tsv) AS u GROUP BY u.lexeme
    ON CONFLICT (lexeme) DO UPDATE SET df = lexemes.df + EXCLUDED.df;
    INSERT INTO chunk_postings (lexeme_id, chunk_seq, tf, len)
        SELECT l.id, n.seq,
               (SELECT sum(CASE WHEN w = 'A' THEN 2 ELSE 1 END) FROM unnest(u.weights) AS w),
               n.token_count
        FROM new_rows AS n CROSS JOIN LATERAL unnest(n.tsv) AS u JOIN lexemes AS l ON l.lexeme = u.lexeme;
    UPDATE corpus_stats SET
        chunk_count = chunk_count + (SELECT count(*) FROM new_rows),
        total_tokens = total_tokens + (SELECT coalesce(sum(token_count), 0) FROM new_rows),
        version = version + 1
    WHERE id = 1;
    RETURN NULL;
END $$;

-- Postings go with their passage (ON DELETE CASCADE); frequencies and totals are updated here.
CREATE FUNCTION relais_chunks_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lexemes SET df = lexemes.df - d.n
    FROM (SELECT u.lexeme, count(*) AS n FROM old_rows, unnest(old_rows.tsv) AS u GROUP BY u.lexeme) AS d
    WHERE lexemes.lexeme = d.lexeme;
    UPDATE corpus_stats SET
        chunk_count = chunk_count - (SELECT count(*) FROM old_rows),
        total_tokens = total_tokens - (SELECT coalesce(sum(token_count), 0) FROM old_rows),
        version = version + 1
    WHERE id = 1;
    RETURN NULL;
END $$;

CREATE TRIGGER recit_chunks_after_insert AFTER INSERT ON recit_chunks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION relais_chunks_inserted();
CREATE TRIGGER recit_chunks_after_delete AFTER DELETE ON recit_chunks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION relais_chunks_deleted();
