-- Corpus of récits (consent-aware), French full-text search with BM25
-- statistics kept by triggers, assistant answers and their feedback.
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
CREATE TABLE "lexeme_stats" (
    "lexeme" TEXT NOT NULL,
    "df" INTEGER NOT NULL,

    CONSTRAINT "lexeme_stats_pkey" PRIMARY KEY ("lexeme")
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
CREATE INDEX "recit_chunks_recit_id_idx" ON "recit_chunks"("recit_id");
CREATE INDEX "recit_chunks_tsv_idx" ON "recit_chunks" USING GIN ("tsv");
CREATE INDEX "assistant_answers_created_at_idx" ON "assistant_answers"("created_at");

-- AddForeignKey
ALTER TABLE "recit_chunks" ADD CONSTRAINT "recit_chunks_recit_id_fkey" FOREIGN KEY ("recit_id") REFERENCES "recits"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "answer_feedback" ADD CONSTRAINT "answer_feedback_answer_id_fkey" FOREIGN KEY ("answer_id") REFERENCES "assistant_answers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- BM25 statistics follow every insert and delete of chunks, whoever writes
-- (the bot, the CLI, another instance), in the same transaction.
CREATE FUNCTION relais_chunks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lexeme_stats (lexeme, df)
        SELECT u.lexeme, count(*) FROM new_rows, unnest(new_rows.tsv) AS u GROUP BY u.lexeme
    ON CONFLICT (lexeme) DO UPDATE SET df = lexeme_stats.df + EXCLUDED.df;
    UPDATE corpus_stats SET
        chunk_count = chunk_count + (SELECT count(*) FROM new_rows),
        total_tokens = total_tokens + (SELECT coalesce(sum(token_count), 0) FROM new_rows),
        version = version + 1
    WHERE id = 1;
    RETURN NULL;
END $$;

CREATE FUNCTION relais_chunks_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lexeme_stats SET df = lexeme_stats.df - d.n
    FROM (SELECT u.lexeme, count(*) AS n FROM old_rows, unnest(old_rows.tsv) AS u GROUP BY u.lexeme) AS d
    WHERE lexeme_stats.lexeme = d.lexeme;
    DELETE FROM lexeme_stats WHERE df <= 0;
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
