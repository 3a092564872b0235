import type { Team, TeamMembership, TeamRepository, TeamRole } from '../../core/ports/team-repository.js';

export class InMemoryTeamRepository implements TeamRepository {
  private readonly teams = new Map<string, Team>();
  private readonly rows = new Map<string, TeamMembership>();

  async create(team: Team): Promise<boolean> {
    if (this.teams.has(team.id)) return false;
    this.teams.set(team.id, { ...team });
    return true;
  }

  async get(id: string): Promise<Team | null> {
    const team = this.teams.get(id);
    return team ? { ...team } : null;
  }

  async list(): Promise<Team[]> {
    return [...this.teams.values()].sort((a, b) => a.id.localeCompare(b.id)).map((t) => ({ ...t }));
  }

  async update(id: string, patch: Partial<Pick<Team, 'name' | 'service' | 'lot' | 'timezone'>>): Promise<Team | null> {
    const team = this.teams.get(id);
    if (!team) return null;
    Object.assign(team, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    return { ...team };
  }

  async addRole(teamId: string, personId: string, role: TeamRole, at: Date): Promise<void> {
    const key = `${teamId}\u0000${personId}`;
    const row = this.rows.get(key) ?? { teamId, personId, member: false, coordinator: false, addedAt: at };
    row[role] = true;
    this.rows.set(key, row);
  }

  async removeRole(teamId: string, personId: string, role: TeamRole): Promise<boolean> {
    const key = `${teamId}\u0000${personId}`;
    const row = this.rows.get(key);
    if (!row || !row[role]) return false;
    row[role] = false;
    if (!row.member && !row.coordinator) this.rows.delete(key);
    return true;
  }

  async memberships(teamId: string): Promise<TeamMembership[]> {
    return [...this.rows.values()].filter((r) => r.teamId === teamId).sort(byAdded).map((r) => ({ ...r }));
  }

  async membershipsOf(personId: string): Promise<TeamMembership[]> {
    return [...this.rows.values()].filter((r) => r.personId === personId).sort(byAdded).map((r) => ({ ...r }));
  }

  async delete(id: string): Promise<boolean> {
    for (const [key, row] of this.rows) if (row.teamId === id) this.rows.delete(key);
    return this.teams.delete(id);
  }
}

const byAdded = (a: TeamMembership, b: TeamMembership): number => a.addedAt.getTime() - b.addedAt.getTime() || a.personId.localeCompare(b.personId);
