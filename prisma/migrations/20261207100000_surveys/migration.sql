-- Surveys, teams and campaigns: published definitions (versioned), teams of
-- people, campaigns with invitations, responses stored answer by answer, and
-- submitted tokens of anonymous campaigns (no person id, no time).
-- Same SQL on PGlite and PostgreSQL.

-- CreateTable
CREATE TABLE "survey_definitions" (
    "survey_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_definitions_pkey" PRIMARY KEY ("survey_id","version")
);

-- CreateTable
CREATE TABLE "teams" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "service" TEXT,
    "lot" TEXT,
    "timezone" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "team_memberships" (
    "team_id" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "member" BOOLEAN NOT NULL DEFAULT false,
    "coordinator" BOOLEAN NOT NULL DEFAULT false,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_memberships_pkey" PRIMARY KEY ("team_id","person_id")
);

-- CreateTable
CREATE TABLE "survey_campaigns" (
    "id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "survey_version" INTEGER NOT NULL,
    "parent_id" TEXT,
    "team_id" TEXT,
    "audience" JSONB NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "phase" TEXT,
    "opens_at" TIMESTAMPTZ(3) NOT NULL,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "reminder_offsets_hours" JSONB NOT NULL,
    "recurrence" JSONB,
    "anonymity" JSONB NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_invitations" (
    "campaign_id" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "invited_at" TIMESTAMPTZ(3),
    "reminders_sent" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "campaign_invitations_pkey" PRIMARY KEY ("campaign_id","person_id")
);

-- CreateTable
CREATE TABLE "survey_responses" (
    "id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "survey_version" INTEGER NOT NULL,
    "person_id" TEXT,
    "respondent_token" TEXT,
    "team_id" TEXT,
    "phase" TEXT,
    "status" TEXT NOT NULL,
    "current_question_id" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "submitted_at" TIMESTAMPTZ(3),

    CONSTRAINT "survey_responses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_answers" (
    "response_id" TEXT NOT NULL,
    "question_id" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "answered_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "survey_answers_pkey" PRIMARY KEY ("response_id","question_id")
);

-- CreateTable
CREATE TABLE "survey_submitted_tokens" (
    "campaign_id" TEXT NOT NULL,
    "token" TEXT NOT NULL,

    CONSTRAINT "survey_submitted_tokens_pkey" PRIMARY KEY ("campaign_id","token")
);

-- CreateIndex
CREATE INDEX "team_memberships_person_id_idx" ON "team_memberships"("person_id");
CREATE INDEX "survey_campaigns_status_idx" ON "survey_campaigns"("status");
CREATE INDEX "survey_campaigns_team_id_idx" ON "survey_campaigns"("team_id");
CREATE INDEX "survey_campaigns_parent_id_idx" ON "survey_campaigns"("parent_id");
CREATE INDEX "campaign_invitations_person_id_idx" ON "campaign_invitations"("person_id");
CREATE UNIQUE INDEX "survey_responses_campaign_id_person_id_key" ON "survey_responses"("campaign_id", "person_id");
CREATE UNIQUE INDEX "survey_responses_campaign_id_respondent_token_key" ON "survey_responses"("campaign_id", "respondent_token");

-- AddForeignKey
ALTER TABLE "team_memberships" ADD CONSTRAINT "team_memberships_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "campaign_invitations" ADD CONSTRAINT "campaign_invitations_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "survey_campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "survey_campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "survey_responses"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "survey_submitted_tokens" ADD CONSTRAINT "survey_submitted_tokens_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "survey_campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
