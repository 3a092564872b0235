import type { Team, TeamMembership, TeamRepository, TeamRole } from '../../../core/ports/team-repository.js';
import { Prisma, type PrismaClient } from '../../../generated/prisma/client.js';

const ORDER = [{ addedAt: 'asc' as const }, { personId: 'asc' as const }];

export class PrismaTeamRepository implements TeamRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(team: Team): Promise<boolean> {
    try {
      await this.prisma.team.create({ data: team });
      return true;
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return false;
      throw error;
    }
  }

  get(id: string): Promise<Team | null> {
    return this.prisma.team.findUnique({ where: { id } });
  }

  list(): Promise<Team[]> {
    return this.prisma.team.findMany({ orderBy: { id: 'asc' } });
  }

  async update(id: string, patch: Partial<Pick<Team, 'name' | 'service' | 'lot' | 'timezone'>>): Promise<Team | null> {
    const { count } = await this.prisma.team.updateMany({ where: { id }, data: patch });
    return count === 0 ? null : this.get(id);
  }

  async addRole(teamId: string, personId: string, role: TeamRole, at: Date): Promise<void> {
    await this.prisma.teamMembership.upsert({
      where: { teamId_personId: { teamId, personId } },
      create: { teamId, personId, member: role === 'member', coordinator: role === 'coordinator', addedAt: at },
      update: { [role]: true },
    });
  }

  async removeRole(teamId: string, personId: string, role: TeamRole): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.teamMembership.updateMany({ where: { teamId, personId, [role]: true }, data: { [role]: false } });
      await tx.teamMembership.deleteMany({ where: { teamId, personId, member: false, coordinator: false } });
      return count === 1;
    });
  }

  memberships(teamId: string): Promise<TeamMembership[]> {
    return this.prisma.teamMembership.findMany({ where: { teamId }, orderBy: ORDER });
  }

  membershipsOf(personId: string): Promise<TeamMembership[]> {
    return this.prisma.teamMembership.findMany({ where: { personId }, orderBy: ORDER });
  }

  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.team.deleteMany({ where: { id } });
    return count === 1;
  }
}
