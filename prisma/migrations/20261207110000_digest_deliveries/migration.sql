-- Coordinators' digests: one row per (team, digest week, coordinator) once
-- its delivery is claimed, so a retried or re-fired weekly job never sends
-- the same digest twice. No message content. Same SQL on PGlite and PostgreSQL.

-- CreateTable
CREATE TABLE "digest_deliveries" (
    "team_id" TEXT NOT NULL,
    "period_key" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digest_deliveries_pkey" PRIMARY KEY ("team_id","period_key","person_id")
);
