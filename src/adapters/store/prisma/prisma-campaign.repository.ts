import type {
  Campaign,
  CampaignAudience,
  CampaignRecurrence,
  CampaignRepository,
  CampaignStatus,
  Invitation,
  Participation,
  RespondentKey,
  ResponseStatus,
  StoredAnswer,
  SurveyResponse,
} from '../../../core/ports/campaign-repository.js';
import type { AnswerValue } from '../../../core/surveys/answer-rules.js';
import type { Anonymity } from '../../../core/surveys/survey-definition.js';
import { Prisma, type PrismaClient } from '../../../generated/prisma/client.js';
import { toJson } from './json.js';

type CampaignRow = Awaited<ReturnType<PrismaClient['surveyCampaign']['findFirstOrThrow']>>;
type ResponseRow = Awaited<ReturnType<PrismaClient['surveyResponse']['findFirstOrThrow']>>;

const reviveRecurrence = (value: unknown): CampaignRecurrence | null => {
  if (!value) return null;
  const r = value as CampaignRecurrence & { from?: string; until?: string };
  return { ...r, ...(r.from ? { from: new Date(r.from) } : {}), ...(r.until ? { until: new Date(r.until) } : {}) };
};

const toCampaign = (row: CampaignRow): Campaign => ({
  ...row,
  audience: row.audience as unknown as CampaignAudience,
  mode: row.mode as Campaign['mode'],
  status: row.status as CampaignStatus,
  reminderOffsetsHours: row.reminderOffsetsHours as number[],
  recurrence: reviveRecurrence(row.recurrence),
  anonymity: row.anonymity as unknown as Anonymity,
});

const toResponse = (row: ResponseRow): SurveyResponse => ({ ...row, status: row.status as ResponseStatus });

const isUniqueViolation = (error: unknown): boolean => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export class PrismaCampaignRepository implements CampaignRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(campaign: Campaign): Promise<void> {
    await this.prisma.surveyCampaign.create({
      data: {
        ...campaign,
        audience: toJson(campaign.audience),
        reminderOffsetsHours: toJson(campaign.reminderOffsetsHours),
        recurrence: campaign.recurrence ? toJson(campaign.recurrence) : Prisma.DbNull,
        anonymity: toJson(campaign.anonymity),
      },
    });
  }

  async get(id: string): Promise<Campaign | null> {
    const row = await this.prisma.surveyCampaign.findUnique({ where: { id } });
    return row ? toCampaign(row) : null;
  }

  async list(filter: { status?: CampaignStatus[]; teamId?: string; parentId?: string } = {}): Promise<Campaign[]> {
    const rows = await this.prisma.surveyCampaign.findMany({
      where: {
        ...(filter.status ? { status: { in: filter.status } } : {}),
        ...(filter.teamId ? { teamId: filter.teamId } : {}),
        ...(filter.parentId ? { parentId: filter.parentId } : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toCampaign);
  }

  async setStatus(id: string, from: CampaignStatus[], to: CampaignStatus, at: Date): Promise<boolean> {
    const { count } = await this.prisma.surveyCampaign.updateMany({ where: { id, status: { in: from } }, data: { status: to, updatedAt: at } });
    return count === 1;
  }

  async setClosesAt(id: string, closesAt: Date, at: Date): Promise<void> {
    await this.prisma.surveyCampaign.updateMany({ where: { id }, data: { closesAt, updatedAt: at } });
  }

  async addInvitations(campaignId: string, personIds: string[]): Promise<void> {
    if (personIds.length === 0) return;
    await this.prisma.campaignInvitation.createMany({ data: personIds.map((personId) => ({ campaignId, personId })), skipDuplicates: true });
  }

  invitations(campaignId: string): Promise<Invitation[]> {
    return this.prisma.campaignInvitation.findMany({ where: { campaignId }, orderBy: { personId: 'asc' } });
  }

  async markInvited(campaignId: string, personId: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.campaignInvitation.updateMany({ where: { campaignId, personId, invitedAt: null }, data: { invitedAt: at } });
    return count === 1;
  }

  async markReminded(campaignId: string, personId: string, n: number): Promise<boolean> {
    const { count } = await this.prisma.campaignInvitation.updateMany({ where: { campaignId, personId, remindersSent: { lt: n } }, data: { remindersSent: n } });
    return count === 1;
  }

  async unmarkInvited(campaignId: string, personId: string): Promise<void> {
    await this.prisma.campaignInvitation.updateMany({ where: { campaignId, personId }, data: { invitedAt: null } });
  }

  async unmarkReminded(campaignId: string, personId: string, n: number): Promise<void> {
    await this.prisma.campaignInvitation.updateMany({ where: { campaignId, personId, remindersSent: n }, data: { remindersSent: n - 1 } });
  }

  async campaignsInviting(personId: string, status: CampaignStatus[]): Promise<Campaign[]> {
    const rows = await this.prisma.surveyCampaign.findMany({
      where: { status: { in: status }, invitations: { some: { personId } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toCampaign);
  }

  async startResponse(response: SurveyResponse): Promise<{ response: SurveyResponse; created: boolean }> {
    const key: RespondentKey | null = response.personId ? { personId: response.personId } : response.respondentToken ? { token: response.respondentToken } : null;
    try {
      const row = await this.prisma.surveyResponse.create({ data: response });
      return { response: toResponse(row), created: true };
    } catch (error) {
      if (!key || !isUniqueViolation(error)) throw error;
      const existing = await this.findResponse(response.campaignId, key);
      if (!existing) throw error;
      return { response: existing, created: false };
    }
  }

  async getResponse(id: string): Promise<SurveyResponse | null> {
    const row = await this.prisma.surveyResponse.findUnique({ where: { id } });
    return row ? toResponse(row) : null;
  }

  async findResponse(campaignId: string, key: RespondentKey): Promise<SurveyResponse | null> {
    const row = await this.prisma.surveyResponse.findFirst({
      where: { campaignId, ...('personId' in key ? { personId: key.personId } : { respondentToken: key.token }) },
    });
    return row ? toResponse(row) : null;
  }

  async saveAnswer(responseId: string, questionId: string, value: AnswerValue | null, at: Date): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.surveyAnswer.upsert({
        where: { responseId_questionId: { responseId, questionId } },
        create: { responseId, questionId, value: toJson(value), answeredAt: at },
        update: { value: toJson(value), answeredAt: at },
      }),
      this.prisma.surveyResponse.update({ where: { id: responseId }, data: { updatedAt: at } }),
    ]);
  }

  async answersOf(responseId: string): Promise<StoredAnswer[]> {
    const rows = await this.prisma.surveyAnswer.findMany({ where: { responseId }, orderBy: { answeredAt: 'asc' } });
    return rows.map((r) => ({ ...r, value: r.value as AnswerValue | null }));
  }

  async setCurrentQuestion(responseId: string, questionId: string | null, at: Date): Promise<void> {
    await this.prisma.surveyResponse.updateMany({ where: { id: responseId }, data: { currentQuestionId: questionId, updatedAt: at } });
  }

  async completeResponse(responseId: string, at: Date, submittedToken?: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const response = await tx.surveyResponse.findUnique({ where: { id: responseId } });
      if (!response || response.status === 'complete') return false;
      if (submittedToken !== undefined) {
        const { count } = await tx.submittedToken.createMany({ data: [{ campaignId: response.campaignId, token: submittedToken }], skipDuplicates: true });
        if (count === 0) return false;
      }
      const { count } = await tx.surveyResponse.updateMany({
        where: { id: responseId, status: 'in_progress' },
        data: { status: 'complete', submittedAt: at, updatedAt: at, currentQuestionId: null, ...(submittedToken !== undefined ? { respondentToken: null } : {}) },
      });
      if (count === 0) throw new Prisma.PrismaClientKnownRequestError('concurrent completion', { code: 'P2034', clientVersion: Prisma.prismaVersion.client });
      return true;
    }).catch((error: unknown) => {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2034') return false;
      throw error;
    });
  }

  async hasSubmitted(campaignId: string, token: string): Promise<boolean> {
    return (await this.prisma.submittedToken.count({ where: { campaignId, token } })) > 0;
  }

  async responses(campaignId: string): Promise<SurveyResponse[]> {
    const rows = await this.prisma.surveyResponse.findMany({ where: { campaignId }, orderBy: [{ startedAt: 'asc' }, { id: 'asc' }] });
    return rows.map(toResponse);
  }

  async answersOfCampaign(campaignId: string): Promise<StoredAnswer[]> {
    const rows = await this.prisma.surveyAnswer.findMany({ where: { response: { campaignId } }, orderBy: [{ responseId: 'asc' }, { answeredAt: 'asc' }] });
    return rows.map((r) => ({ ...r, value: r.value as AnswerValue | null }));
  }

  async participation(campaignId: string): Promise<Participation> {
    const [invited, started, completed] = await Promise.all([
      this.prisma.campaignInvitation.count({ where: { campaignId } }),
      this.prisma.surveyResponse.count({ where: { campaignId } }),
      this.prisma.surveyResponse.count({ where: { campaignId, status: 'complete' } }),
    ]);
    return { invited, started, completed };
  }
}
