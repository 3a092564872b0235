-- Shared services of the chat adapters: exactly-once handling of platform
-- events (when Redis is absent) and small durable adapter state. Neither
-- table holds message content. Same SQL on PGlite and PostgreSQL.

-- CreateTable
CREATE TABLE "processed_events" (
    "key" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "platform_state" (
    "namespace" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_state_pkey" PRIMARY KEY ("namespace","key")
);

-- CreateIndex
CREATE INDEX "processed_events_expires_at_idx" ON "processed_events"("expires_at");
