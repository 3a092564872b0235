import type {
  Campaign,
  CampaignRepository,
  CampaignStatus,
  Invitation,
  Participation,
  RespondentKey,
  StoredAnswer,
  SurveyResponse,
} from '../../core/ports/campaign-repository.js';
import type { AnswerValue } from '../../core/surveys/answer-rules.js';

export class InMemoryCampaignRepository implements CampaignRepository {
  private readonly campaigns = new Map<string, Campaign>();
  private readonly invites = new Map<string, Invitation>();
  private readonly responseRows = new Map<string, SurveyResponse>();
  private readonly answers = new Map<string, StoredAnswer>();
  private readonly submitted = new Set<string>();

  async create(campaign: Campaign): Promise<void> {
    if (this.campaigns.has(campaign.id)) throw new Error(`campaign ${campaign.id} exists`);
    this.campaigns.set(campaign.id, structuredClone(campaign));
  }

  async get(id: string): Promise<Campaign | null> {
    const c = this.campaigns.get(id);
    return c ? structuredClone(c) : null;
  }

  async list(filter: { status?: CampaignStatus[]; teamId?: string; parentId?: string } = {}): Promise<Campaign[]> {
    return [...this.campaigns.values()]
      .filter((c) => (!filter.status || filter.status.includes(c.status)) && (!filter.teamId || c.teamId === filter.teamId) && (!filter.parentId || c.parentId === filter.parentId))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
      .map((c) => structuredClone(c));
  }

  async setStatus(id: string, from: CampaignStatus[], to: CampaignStatus, at: Date): Promise<boolean> {
    const c = this.campaigns.get(id);
    if (!c || !from.includes(c.status)) return false;
    c.status = to;
    c.updatedAt = at;
    return true;
  }

  async setClosesAt(id: string, closesAt: Date, at: Date): Promise<void> {
    const c = this.campaigns.get(id);
    if (c) Object.assign(c, { closesAt, updatedAt: at });
  }

  async addInvitations(campaignId: string, personIds: string[]): Promise<void> {
    for (const personId of personIds) {
      const key = `${campaignId}\u0000${personId}`;
      if (!this.invites.has(key)) this.invites.set(key, { campaignId, personId, invitedAt: null, remindersSent: 0 });
    }
  }

  async invitations(campaignId: string): Promise<Invitation[]> {
    return [...this.invites.values()].filter((i) => i.campaignId === campaignId).sort((a, b) => a.personId.localeCompare(b.personId)).map((i) => ({ ...i }));
  }

  async markInvited(campaignId: string, personId: string, at: Date): Promise<boolean> {
    const invite = this.invites.get(`${campaignId}\u0000${personId}`);
    if (!invite || invite.invitedAt) return false;
    invite.invitedAt = at;
    return true;
  }

  async markReminded(campaignId: string, personId: string, n: number): Promise<boolean> {
    const invite = this.invites.get(`${campaignId}\u0000${personId}`);
    if (!invite || invite.remindersSent >= n) return false;
    invite.remindersSent = n;
    return true;
  }

  async unmarkInvited(campaignId: string, personId: string): Promise<void> {
    const invite = this.invites.get(`${campaignId}\u0000${personId}`);
    if (invite) invite.invitedAt = null;
  }

  async unmarkReminded(campaignId: string, personId: string, n: number): Promise<void> {
    const invite = this.invites.get(`${campaignId}\u0000${personId}`);
    if (invite && invite.remindersSent === n) invite.remindersSent = n - 1;
  }

  async campaignsInviting(personId: string, status: CampaignStatus[]): Promise<Campaign[]> {
    const ids = new Set([...this.invites.values()].filter((i) => i.personId === personId).map((i) => i.campaignId));
    return (await this.list({ status })).filter((c) => ids.has(c.id));
  }

  async startResponse(response: SurveyResponse): Promise<{ response: SurveyResponse; created: boolean }> {
    const key: RespondentKey | null = response.personId ? { personId: response.personId } : response.respondentToken ? { token: response.respondentToken } : null;
    // Synchronous check-and-insert: concurrent starts for one respondent create one response.
    const existing = key ? this.findSync(response.campaignId, key) : null;
    if (existing) return { response: { ...existing }, created: false };
    this.responseRows.set(response.id, { ...response });
    return { response: { ...response }, created: true };
  }

  async getResponse(id: string): Promise<SurveyResponse | null> {
    const r = this.responseRows.get(id);
    return r ? { ...r } : null;
  }

  async findResponse(campaignId: string, key: RespondentKey): Promise<SurveyResponse | null> {
    const found = this.findSync(campaignId, key);
    return found ? { ...found } : null;
  }

  private findSync(campaignId: string, key: RespondentKey): SurveyResponse | null {
    for (const r of this.responseRows.values()) {
      if (r.campaignId !== campaignId) continue;
      if ('personId' in key ? r.personId === key.personId : r.respondentToken === key.token) return r;
    }
    return null;
  }

  async saveAnswer(responseId: string, questionId: string, value: AnswerValue | null, at: Date): Promise<void> {
    const response = this.responseRows.get(responseId);
    if (!response) throw new Error(`no response ${responseId}`);
    this.answers.set(`${responseId}\u0000${questionId}`, { responseId, questionId, value: structuredClone(value), answeredAt: at });
    response.updatedAt = at;
  }

  async answersOf(responseId: string): Promise<StoredAnswer[]> {
    return [...this.answers.values()].filter((a) => a.responseId === responseId).map((a) => structuredClone(a));
  }

  async setCurrentQuestion(responseId: string, questionId: string | null, at: Date): Promise<void> {
    const r = this.responseRows.get(responseId);
    if (r) Object.assign(r, { currentQuestionId: questionId, updatedAt: at });
  }

  async completeResponse(responseId: string, at: Date, submittedToken?: string): Promise<boolean> {
    const r = this.responseRows.get(responseId);
    if (!r || r.status === 'complete') return false;
    if (submittedToken !== undefined) {
      const key = `${r.campaignId}\u0000${submittedToken}`;
      if (this.submitted.has(key)) return false;
      this.submitted.add(key);
      r.respondentToken = null;
    }
    Object.assign(r, { status: 'complete', submittedAt: at, updatedAt: at, currentQuestionId: null });
    return true;
  }

  async hasSubmitted(campaignId: string, token: string): Promise<boolean> {
    return this.submitted.has(`${campaignId}\u0000${token}`);
  }

  async responses(campaignId: string): Promise<SurveyResponse[]> {
    return [...this.responseRows.values()]
      .filter((r) => r.campaignId === campaignId)
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id))
      .map((r) => ({ ...r }));
  }

  async answersOfCampaign(campaignId: string): Promise<StoredAnswer[]> {
    const ids = new Set((await this.responses(campaignId)).map((r) => r.id));
    return [...this.answers.values()].filter((a) => ids.has(a.responseId)).map((a) => structuredClone(a));
  }

  async participation(campaignId: string): Promise<Participation> {
    const responses = await this.responses(campaignId);
    return {
      invited: (await this.invitations(campaignId)).length,
      started: responses.length,
      completed: responses.filter((r) => r.status === 'complete').length,
    };
  }
}
